import { CsvError, parse } from 'csv-parse/sync';

/** One problem in an import, as the client gets it: row numbers count the header as row 1, like a spreadsheet. */
export interface RowError {
  readonly row: number;
  readonly column: string | null;
  readonly message: string;
}

export interface ParsedCsv {
  readonly header: readonly string[];
  /** Data rows, each with its spreadsheet row number and its non-empty cells by column. */
  readonly rows: readonly { readonly row: number; readonly cells: Readonly<Record<string, string>> }[];
}

/** The file cannot be read as a table (bad quoting, ragged rows, too many rows): reported like a row error. */
export class CsvFormatError extends Error {
  constructor(readonly problem: RowError) {
    super(problem.message);
  }
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Reads a CSV with a header row. Cells are trimmed; empty cells are absent from `cells`.
 * More than `maxRows` data rows is refused as a whole.
 */
export function parseCsv(text: string, maxRows: number): ParsedCsv {
  let records: string[][];
  try {
    // Any line ending, even mixed (files stitched together on different systems).
    // Reading one row past the limit tells "exactly the limit" from "over it" without parsing a huge file to the end.
    records = parse(text, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, trim: true, to: maxRows + 2 });
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFormatError({ row: Number((error as CsvError & { lines?: number }).lines ?? 0), column: null, message: error.message });
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new CsvFormatError({ row: 1, column: null, message: 'the file is empty: expected a header row' });
  if (data.length > maxRows) throw new CsvFormatError({ row: maxRows + 2, column: null, message: `too many rows: at most ${maxRows} per import` });
  return {
    header,
    rows: data.map((values, index) => ({
      row: index + 2,
      cells: Object.fromEntries(values.flatMap((value, column) => (value === '' ? [] : [[header[column] as string, withoutFormulaGuard(value)]]))),
    })),
  };
}

/**
 * Header-checked: every column known, every required column present, none twice.
 * Returns the problems, all on row 1.
 */
export function headerErrors(header: readonly string[], known: readonly string[], required: readonly string[]): RowError[] {
  const errors: RowError[] = [];
  header.forEach((column, index) => {
    if (!known.includes(column)) errors.push({ row: 1, column, message: `unknown column "${column}"; columns are ${known.join(', ')}` });
    else if (header.indexOf(column) !== index) errors.push({ row: 1, column, message: `column "${column}" appears twice` });
  });
  for (const column of required) if (!header.includes(column)) errors.push({ row: 1, column, message: `column "${column}" is required` });
  return errors;
}

/** A CSV document: header and rows, every cell quoted when it must be and defused when a spreadsheet would run it. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | null | undefined)[])[]): string {
  return [header, ...rows].map((cells) => cells.map((cell) => csvCell(cell ?? '')).join(',')).join('\r\n') + '\r\n';
}

/**
 * Cells a spreadsheet would take for a formula (= + - @, tab, carriage return) get a leading quote, so opening an
 * export never runs code (OWASP "CSV injection"); quotes, commas and line breaks are quoted as RFC 4180 says.
 */
export function csvCell(value: string): string {
  const defused = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

/** Undoes csvCell's defusing on import, so an exported file imports back to the same values. */
function withoutFormulaGuard(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
