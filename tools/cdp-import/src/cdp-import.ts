#!/usr/bin/env node
/**
 * Back-fills the CDP with historical data through its batch API:
 *
 *   cdp-import --url http://127.0.0.1:3001 --write-key KEY --file events.ndjson
 *   cdp-import --url http://127.0.0.1:3001 --write-key KEY --file orders.csv --format orders-csv --source shopify
 *
 * Prints progress as it goes and, at the end, every refused record with its line
 * number and reasons. Exit status: 0 all imported, 2 some records refused, 1 failure.
 */
import { parse as parseCsv } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ndjsonLineToEvent, orderRowToEvent, type RecordResult } from './import-records.js';

const MAX_EVENTS_PER_BATCH = 500;
const MAX_BATCH_BYTES = 400 * 1024; // under the API's 500 KB, with room for the envelope

interface Pending {
  readonly record: number;
  readonly event: Record<string, unknown>;
}

interface Tally {
  read: number;
  accepted: number;
  refused: { record: number; errors: readonly string[] }[];
}

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3001' },
    'write-key': { type: 'string' },
    file: { type: 'string' },
    format: { type: 'string', default: 'ndjson' },
    source: { type: 'string', default: 'import' },
  },
});

async function* records(file: string, format: string, source: string): AsyncGenerator<{ record: number; result: RecordResult }> {
  if (format === 'ndjson') {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim()) yield { record: line, result: ndjsonLineToEvent(text) };
    }
    return;
  }
  // Line 1 is the header, so data row n is on line n + 1.
  let line = 1;
  for await (const row of createReadStream(file).pipe(parseCsv({ columns: true, skip_empty_lines: true, trim: true }))) {
    line++;
    yield { record: line, result: orderRowToEvent(row as Record<string, string>, source) };
  }
}

async function send(url: string, writeKey: string, batch: readonly Pending[], tally: Tally): Promise<void> {
  const body = JSON.stringify({ batch: batch.map((pending) => pending.event) });
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
      body,
    }).catch((error: unknown) => ({ status: 0, error }));
    if ('error' in response || response.status === 503 || response.status === 429) {
      if (attempt >= 5) throw new Error(`the CDP did not take a batch after ${attempt} attempts`);
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      continue;
    }
    const answer = (await response.json()) as { accepted?: number; rejected?: { index: number; errors: string[] }[]; message?: unknown };
    if (response.status !== 200 && response.status !== 400) throw new Error(`the CDP answered ${response.status}: ${JSON.stringify(answer)}`);
    tally.accepted += answer.accepted ?? 0;
    for (const rejected of answer.rejected ?? []) tally.refused.push({ record: (batch[rejected.index] as Pending).record, errors: rejected.errors });
    return;
  }
}

async function main(): Promise<number> {
  const writeKey = values['write-key'];
  const file = values.file;
  if (!writeKey || !file || !['ndjson', 'orders-csv'].includes(values.format)) {
    console.error('usage: cdp-import --write-key KEY --file PATH [--format ndjson|orders-csv] [--url http://127.0.0.1:3001] [--source NAME]');
    return 1;
  }
  const tally: Tally = { read: 0, accepted: 0, refused: [] };
  const started = Date.now();
  let batch: Pending[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await send(values.url, writeKey, batch, tally);
    batch = [];
    bytes = 0;
    const seconds = (Date.now() - started) / 1000;
    console.error(`progress: ${tally.read} records read, ${tally.accepted} accepted, ${tally.refused.length} refused, ${Math.round(tally.read / Math.max(seconds, 0.001))} records/s`);
  };
  for await (const { record, result } of records(file, values.format, values.source)) {
    tally.read++;
    if ('errors' in result) {
      tally.refused.push({ record, errors: result.errors });
      continue;
    }
    const size = Buffer.byteLength(JSON.stringify(result.event));
    if (batch.length >= MAX_EVENTS_PER_BATCH || bytes + size > MAX_BATCH_BYTES) await flush();
    batch.push({ record, event: result.event });
    bytes += size;
  }
  await flush();
  tally.refused.sort((a, b) => a.record - b.record);
  for (const refused of tally.refused) console.log(`line ${refused.record}: ${refused.errors.join('; ')}`);
  console.log(`imported ${tally.accepted} of ${tally.read} records in ${((Date.now() - started) / 1000).toFixed(1)} s; ${tally.refused.length} refused`);
  return tally.refused.length > 0 ? 2 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`cdp-import failed: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
