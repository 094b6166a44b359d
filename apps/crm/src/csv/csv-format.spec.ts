import { describe, expect, it } from '@jest/globals';
import { csvCell, CsvFormatError, headerErrors, parseCsv, toCsv } from './csv-format.js';

describe('parseCsv', () => {
  it('reads a header and rows, trimming cells and leaving empty ones out, numbering rows like a spreadsheet', () => {
    const parsed = parseCsv('\uFEFFemail,firstName\r\n ana@example.com , Ana\n"bo@example.com",\n\n', 10);
    expect(parsed.header).toEqual(['email', 'firstName']);
    expect(parsed.rows).toEqual([
      { row: 2, cells: { email: 'ana@example.com', firstName: 'Ana' } },
      { row: 3, cells: { email: 'bo@example.com' } },
    ]);
  });

  it('reads quoted commas, quotes and line breaks', () => {
    const parsed = parseCsv('name,industry\n"Acme, Inc.","He said ""hi""\nthen left"\n', 10);
    expect(parsed.rows[0]?.cells).toEqual({ name: 'Acme, Inc.', industry: 'He said "hi"\nthen left' });
  });

  it('refuses ragged rows and broken quoting as a format error', () => {
    expect(() => parseCsv('a,b\n1,2,3\n', 10)).toThrow(CsvFormatError);
    expect(() => parseCsv('a,b\n"1,2\n', 10)).toThrow(CsvFormatError);
  });

  it('refuses an empty file and more rows than the limit', () => {
    expect(() => parseCsv('', 10)).toThrow('the file is empty');
    expect(() => parseCsv('a\n1\n2\n3\n', 2)).toThrow('too many rows: at most 2 per import');
    expect(parseCsv('a\n1\n2\n', 2).rows).toHaveLength(2);
  });
});

describe('headerErrors', () => {
  it('names unknown, repeated and missing columns', () => {
    expect(headerErrors(['email', 'shoeSize', 'email'], ['email', 'phone'], ['email', 'phone'])).toEqual([
      { row: 1, column: 'shoeSize', message: 'unknown column "shoeSize"; columns are email, phone' },
      { row: 1, column: 'email', message: 'column "email" appears twice' },
      { row: 1, column: 'phone', message: 'column "phone" is required' },
    ]);
  });
});

describe('CSV writing', () => {
  it('quotes commas, quotes and line breaks, and only those', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    for (const value of ['=1+1', '+44 20 7946 0958', '-2', '@SUM(A1)', '\tx']) expect(csvCell(value)).toBe(`'${value}`);
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('writes a document that reads back to the same values', () => {
    const rows = [
      ['Acme, Inc.', '=cmd|calc', null],
      ['He said "hi"\nthen left', '+44 20 7946 0958', "'quoted"],
    ];
    const text = toCsv(['a', 'b', 'c'], rows);
    expect(text.split('\r\n')[0]).toBe('a,b,c');
    expect(parseCsv(text, 10).rows.map((row) => row.cells)).toEqual([
      { a: 'Acme, Inc.', b: '=cmd|calc' },
      { a: 'He said "hi"\nthen left', b: '+44 20 7946 0958', c: "'quoted" },
    ]);
  });
});
