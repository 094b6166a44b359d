import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, isPortInUse } from '@cds/local-infra';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Processes whose command line mentions the data dir or a port of this test's stack. */
function processesOf(markers: readonly string[]): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .filter((command) => markers.some((marker) => command.includes(marker)));
}

describe('npm start (the stack launcher)', () => {
  it('brings up Postgres, Kafka, CDP, CRM and sync, reports all healthy, and stops everything on Ctrl-C', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'stack-e2e-'));
    const ports = { CDP_PORT: await findFreePort(), CRM_PORT: await findFreePort(), SYNC_PORT: await findFreePort(), POSTGRES_PORT: await findFreePort(), KAFKA_PORT: await findFreePort(), KAFKA_CONTROLLER_PORT: await findFreePort() };
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], CDS_DATA_DIR: dataDir };
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    const launcher = spawn(process.execPath, [path.join(repoRoot, 'tools', 'stack', 'dist', 'start.js')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 150_000;
      while (!output.includes('[stack] all healthy') && Date.now() < deadline && launcher.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output).toMatch(/\[stack\] all healthy in \d+\.\d s/);
      expect(output).toContain(`CDP    http://127.0.0.1:${ports.CDP_PORT}`);
      expect(output).toContain('user postgres  password postgres');
      expect(output).toContain('write key: dev-web-write-key-0001');
      for (const port of [ports.CDP_PORT, ports.CRM_PORT, ports.SYNC_PORT]) {
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      }
      expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
      const tracked = await fetch(`http://127.0.0.1:${ports.CDP_PORT}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('dev-web-write-key-0001:').toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'dev-user', event: 'Stack Started' }),
      });
      expect(tracked.status).toBe(200);

      launcher.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toContain('[stack] stopped');
      expect(processesOf([dataDir, `:${ports.KAFKA_PORT}`])).toEqual([]);
      for (const port of Object.values(ports)) expect(await isPortInUse(port)).toBe(false);
      expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true); // data persists between runs
    } finally {
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 200_000);
});
