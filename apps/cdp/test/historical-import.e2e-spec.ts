import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CdpHarness, eventually } from './cdp-harness.js';

const cli = path.resolve(import.meta.dirname, '..', '..', '..', 'tools', 'cdp-import', 'dist', 'cdp-import.js');

function runImport(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('historical import (cdp-import CLI) into a real CDP', () => {
  let cdp: CdpHarness;
  let writeKey: string;
  let dir: string;

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-import');
    writeKey = await cdp.createSource('store-import', 'import');
    dir = await mkdtemp(path.join(tmpdir(), 'cdp-import-'));
  }, 60_000);
  afterAll(async () => {
    await cdp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('back-fills past orders from a CSV with progress, reports bad rows by line, and is idempotent', async () => {
    const rows = Array.from({ length: 1200 }, (_, index) => `O-${index},2024-0${1 + (index % 9)}-15T12:00:00Z,${(index % 50) + 10}.50,EUR,buyer${index % 40}@example.com`);
    rows.splice(10, 0, 'O-bad,not-a-date,12,EUR,x@example.com');
    const file = path.join(dir, 'orders.csv');
    await writeFile(file, `order_id,timestamp,total,currency,email\n${rows.join('\n')}\n`);

    const first = await runImport(['--url', cdp.url, '--write-key', writeKey, '--file', file, '--format', 'orders-csv', '--source', 'pos']);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/progress: \d+ records read, \d+ accepted, \d+ refused/);
    expect(first.stdout).toContain('line 12: timestamp: must be an ISO 8601 date-time');
    expect(first.stdout).toContain('imported 1200 of 1201 records');

    await eventually(async () => (await cdp.query<{ count: number }>(`SELECT count(*)::int AS count FROM events WHERE event = 'Order Completed'`))[0]?.count === 1200, 'the orders to be stored', 60_000);
    const buyer = await cdp.query<{ timestamp: Date }>(
      `SELECT e.timestamp FROM events e JOIN identities i ON i.profile_id = e.profile_id WHERE i.type = 'email' AND i.value = 'buyer7@example.com' ORDER BY e.timestamp LIMIT 1`,
    );
    expect(buyer[0]?.timestamp.toISOString()).toBe('2024-01-15T12:00:00.000Z'); // historical time kept, not the import time

    const again = await runImport(['--url', cdp.url, '--write-key', writeKey, '--file', file, '--format', 'orders-csv', '--source', 'pos']);
    expect(again.code).toBe(2);
    await cdp.send('/v1/track', writeKey, { userId: 'sentinel', event: 'After Reimport', messageId: 'import-sentinel' });
    await eventually(async () => (await cdp.query('SELECT 1 FROM events WHERE message_id = $1', ['import-sentinel']))[0], 'the sentinel', 60_000);
    expect((await cdp.query<{ count: number }>(`SELECT count(*)::int AS count FROM events WHERE event = 'Order Completed'`))[0]?.count).toBe(1200);
  }, 120_000);

  it('imports NDJSON events as they are', async () => {
    const file = path.join(dir, 'events.ndjson');
    await writeFile(file, ['{"type":"identify","userId":"nd-1","traits":{"email":"nd@example.com"},"timestamp":"2023-05-01T00:00:00Z","messageId":"nd-a"}', '{"type":"track","userId":"nd-1","event":"Product Viewed","messageId":"nd-b"}', 'garbage'].join('\n'));
    const result = await runImport(['--url', cdp.url, '--write-key', writeKey, '--file', file]);
    expect(result.stdout).toContain('line 3: not valid JSON');
    expect(result.stdout).toContain('imported 2 of 3 records');
    await eventually(async () => (await cdp.query('SELECT 1 FROM events WHERE message_id = $1', ['nd-b']))[0], 'the NDJSON events');
  });
});
