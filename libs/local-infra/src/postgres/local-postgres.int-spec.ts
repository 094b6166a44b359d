import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from '../net/free-port.js';
import { startLocalPostgres } from './local-postgres.js';

let base: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'local-postgres-spec-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** Pids of processes working in `dataDir`: the postmaster and all its children. */
async function processesIn(dataDir: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const cwds = await Promise.all(pids.map((pid) => readlink(`/proc/${pid}/cwd`).catch(() => '')));
  return pids.filter((_, index) => cwds[index] === dataDir).map(Number);
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (await check()) return true;
  }
  return check();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startLocalPostgres', () => {
  it('serves databases, copies templates and leaves no process or data behind', async () => {
    const dataDir = path.join(base, 'throwaway');
    const server = await startLocalPostgres({ dataDir, port: await findFreePort() });
    const pid = await postmasterPid(dataDir);

    await server.createDatabase('app');
    await server.createDatabase('app'); // exists: no-op
    await server.createDatabase('template_app');
    await query(server.url('template_app'), 'CREATE TABLE item (id int PRIMARY KEY); INSERT INTO item VALUES (1), (2)');
    await server.createDatabase('app_copy', 'template_app');
    const [row] = await query<{ count: number; fsync: string }>(
      server.url('app_copy'),
      "SELECT count(*)::int AS count, current_setting('fsync') AS fsync FROM item",
    );
    expect(row).toEqual({ count: 2, fsync: 'off' });
    await server.dropDatabase('app_copy');
    await server.dropDatabase('app_copy'); // absent: no error

    await server.stop();
    await server.stop(); // idempotent
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await processesIn(dataDir)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('keeps a persistent cluster between runs', async () => {
    const dataDir = path.join(base, 'persistent');
    const port = await findFreePort();
    const first = await startLocalPostgres({ dataDir, port, persistent: true });
    await first.createDatabase('kept');
    await first.stop();

    const second = await startLocalPostgres({ dataDir, port, persistent: true });
    try {
      const rows = await query<{ datname: string }>(second.url('postgres'), "SELECT datname FROM pg_database WHERE datname = 'kept'");
      expect(rows).toHaveLength(1);
    } finally {
      await second.stop();
    }
    expect(await processesIn(dataDir)).toEqual([]);
  });

  it('fails fast, naming the port, when the port is taken', async () => {
    const blocker = createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startLocalPostgres({ dataDir: path.join(base, 'blocked'), port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('stops the server when its Node process dies by SIGKILL', async () => {
    const dataDir = path.join(base, 'orphan');
    // The child runs outside Jest, on the build (npm test builds first).
    const script = `
      const { startLocalPostgres } = await import('@cds/local-infra');
      await startLocalPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${await findFreePort()} });
      console.log('ready');
      setInterval(() => {}, 60_000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before the server was ready`)));
    });
    const pid = await postmasterPid(dataDir);

    child.kill('SIGKILL');

    expect(await eventually(async () => !existsSync(`/proc/${pid}`), 10_000)).toBe(true);
    expect(await processesIn(dataDir)).toEqual([]);
  });

});
