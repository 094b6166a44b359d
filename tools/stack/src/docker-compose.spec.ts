import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { SERVICES, stackSettingsFrom } from './stack-settings.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const composeFile = path.join(repoRoot, 'docker-compose.yml');
const dclint = path.join(repoRoot, 'node_modules', '.bin', 'dclint');

interface ComposeService {
  image?: string;
  build?: { args?: Record<string, string> };
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

async function lint(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(dclint, [file], { cwd: repoRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('docker-compose.yml', () => {
  it('passes the Compose specification schema check', async () => {
    const result = await lint(composeFile);
    expect(result.output).not.toContain('error');
    expect(result.code).toBe(0);
  });

  it('is checked for real: a file that breaks the schema fails the same check', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'compose-'));
    const broken = path.join(dir, 'docker-compose.yml');
    await writeFile(broken, 'services:\n  cdp:\n    image: x\n    restart_policy: always\n');
    const result = await lint(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('must NOT have additional properties');
  });

  it('runs the same five components as npm start, on the same local ports', async () => {
    const compose = parse(await readFile(composeFile, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
    const defaults = stackSettingsFrom({}, repoRoot);
    expect(Object.keys(compose.services).sort()).toEqual(['cdp', 'crm', 'kafka', 'postgres', 'sync']);
    expect(compose.services['postgres']?.image).toMatch(/^postgres:\d+/);
    expect(compose.services['kafka']?.image).toMatch(/^apache\/kafka:3\.9\./);
    for (const name of SERVICES) {
      const service = compose.services[name];
      const port = defaults.servicePorts[name];
      expect(service?.build?.args).toEqual({ SERVICE: name });
      expect(service?.environment).toEqual({
        PORT: port,
        DATABASE_URL: `postgres://postgres:postgres@postgres:5432/${name}`,
        KAFKA_BROKERS: 'kafka:9092',
        // The bridge reaches the CRM by its compose name.
        ...(name === 'sync' ? { CRM_URL: `http://crm:${defaults.servicePorts.crm}` } : {}),
      });
      expect(service?.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(service?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
      expect(service?.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        kafka: { condition: 'service_healthy' },
        ...(name === 'sync' ? { crm: { condition: 'service_healthy' } } : {}),
      });
    }
  });
});
