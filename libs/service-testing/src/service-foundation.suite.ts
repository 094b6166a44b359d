import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DynamicModule } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { findFreePort, startLocalKafka, type LocalKafka } from '@cds/local-infra';
import { openServiceDatabase, postgresDataSourceOptions, runMigrationsExclusively, type JsonLogger, type ServiceDatabase, type ServiceEnv } from '@cds/service-kit';
import { createIsolatedDatabase, dropTestDatabase, eventually, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { startTestApp, testEnv, type RunningTestApp } from './test-app.js';

export interface ServiceFoundationSpec<E extends ServiceEnv> {
  readonly service: string;
  readonly envSchema: new () => E;
  readonly createModule: (env: E, logger: JsonLogger) => DynamicModule;
  readonly database: Omit<ServiceDatabase, 'url'>;
  /** Tables the service's migrations create (checked on an empty database). */
  readonly tables: readonly string[];
  /** The built entry point, e.g. `apps/cdp/dist/main.js`, run as a real process. */
  readonly mainScript: string;
}

interface HealthBody {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

/**
 * What every service must do before it does anything else (issue: workspace
 * foundation): migrate its own database, report health and metrics, refuse bad
 * config, and shut down cleanly. Each app runs this suite against itself.
 */
export function describeServiceFoundation<E extends ServiceEnv>(spec: ServiceFoundationSpec<E>): void {
  describe(`${spec.service} service foundation`, () => {
    const infra = testInfrastructure();
    const topicPrefix = uniqueTopicPrefix(spec.service);
    let database: IsolatedDatabase;

    beforeAll(async () => {
      database = await createIsolatedDatabase(spec.service);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('applies its migrations to an empty database, and a second run applies none', async () => {
      const fresh = await createIsolatedDatabase(`${spec.service}_migrations`);
      try {
        const dataSource = new DataSource(postgresDataSourceOptions({ ...spec.database, url: fresh.url }));
        await dataSource.initialize();
        try {
          const first = await runMigrationsExclusively(dataSource, 'test');
          const second = await runMigrationsExclusively(dataSource, 'test');
          expect(first).toHaveLength(spec.database.migrations.length);
          expect(second).toEqual([]);
          const tables = (await dataSource.query(
            `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
          )) as { table_name: string }[];
          expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining([...spec.tables]));
        } finally {
          await dataSource.destroy();
        }
      } finally {
        await fresh.drop();
      }
    });

    it('creates its database when missing, and instances starting together migrate it once', async () => {
      const url = new URL(infra.postgresUrl);
      url.pathname = `/${spec.service}_created_${Date.now()}`;
      const [one, two] = await Promise.all([
        openServiceDatabase({ ...spec.database, url: url.toString() }),
        openServiceDatabase({ ...spec.database, url: url.toString() }),
      ]);
      try {
        const applied = (await one.query('SELECT count(*)::int AS count FROM migrations')) as { count: number }[];
        expect(applied[0]?.count).toBe(spec.database.migrations.length);
      } finally {
        await Promise.all([one.destroy(), two.destroy()]);
        await dropTestDatabase(url.pathname.slice(1));
      }
    });

    describe('over HTTP', () => {
      let running: RunningTestApp;

      beforeAll(async () => {
        const env = testEnv(spec.envSchema, { DATABASE_URL: database.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix });
        running = await startTestApp(spec.service, (logger) => spec.createModule(env, logger));
      });
      afterAll(async () => {
        await running?.close();
      });

      it('reports the database and Kafka as up on /health', async () => {
        const response = await fetch(`${running.url}/health`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'ok', checks: { database: { status: 'up' }, kafka: { status: 'up' } } });
      });

      it('serves Prometheus metrics, including request timings', async () => {
        await fetch(`${running.url}/health`);
        const response = await fetch(`${running.url}/metrics`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/plain');
        const body = await response.text();
        expect(body).toContain('process_resident_memory_bytes');
        expect(body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
      });

      it('answers an unknown route with a 404 JSON error, not a 500', async () => {
        const response = await fetch(`${running.url}/no-such-route`);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ statusCode: 404 });
      });
    });

    describe('when its Kafka broker goes away', () => {
      let kafka: LocalKafka;
      let kafkaDir: string;
      let running: RunningTestApp;

      beforeAll(async () => {
        kafkaDir = await mkdtemp(path.join(tmpdir(), `${spec.service}-kafka-`));
        kafka = await startLocalKafka({ dataDir: kafkaDir, port: await findFreePort(), controllerPort: await findFreePort() });
        const env = testEnv(spec.envSchema, { DATABASE_URL: database.url, KAFKA_BROKERS: kafka.brokers });
        running = await startTestApp(spec.service, (logger) => spec.createModule(env, logger));
      }, 120_000);
      afterAll(async () => {
        await running?.close();
        await kafka?.stop();
        await rm(kafkaDir, { recursive: true, force: true });
      });

      it('turns /health to 503 naming Kafka as down, with the database still up', async () => {
        expect((await fetch(`${running.url}/health`)).status).toBe(200);

        await kafka.kill();

        const response = await fetch(`${running.url}/health`);
        const body = (await response.json()) as HealthBody;
        expect(response.status).toBe(503);
        expect(body.status).toBe('unavailable');
        expect(body.checks['database']).toEqual({ status: 'up' });
        expect(body.checks['kafka']?.status).toBe('down');
        expect(body.checks['kafka']?.error).toEqual(expect.any(String));
      });
    });

    describe('as a process', () => {
      it('exits with status 1 and names the bad variable when the configuration is invalid', async () => {
        const result = await runProcess(spec.mainScript, { PORT: 'eighty', KAFKA_BROKERS: 'not a broker list' }, undefined);
        expect(result.code).toBe(1);
        const fatal = result.output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { level: number; msg: string; problems?: string[] })
          .find((line) => line.level === 60);
        expect(fatal?.msg).toMatch(/^Invalid configuration: /);
        expect(fatal?.problems).toEqual(['PORT="eighty": must be a whole number', 'KAFKA_BROKERS="not a broker list": must be a comma-separated list of host:port']);
      });

      it('starts from its main script, becomes healthy, and on SIGTERM closes its Kafka clients and exits', async () => {
        const port = await findFreePort();
        const result = await runProcess(
          spec.mainScript,
          { PORT: String(port), DATABASE_URL: database.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix, LOG_LEVEL: 'info' },
          async (kill) => {
            await eventually(() => fetch(`http://127.0.0.1:${port}/health`).then((response) => response.status === 200, () => false), `${spec.service} to answer /health with 200`, 45_000);
            kill('SIGTERM');
          },
        );
        expect(['0', 'SIGTERM']).toContain(result.code === null ? result.signal : String(result.code));
        expect(result.output).toContain('messaging closed');
        // Every line the service wrote is one JSON object (structured logs).
        for (const line of result.output.split('\n').filter((text) => text.trim())) {
          expect(() => JSON.parse(line) as unknown).not.toThrow();
        }
      }, 60_000);
    });
  });
}

interface ProcessResult {
  code: number | null;
  signal: string | null;
  output: string;
}

function runProcess(script: string, env: Record<string, string>, whileRunning: ((kill: (signal: NodeJS.Signals) => void) => Promise<void>) | undefined): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => resolve({ code, signal, output }));
    whileRunning?.((signal) => child.kill(signal)).catch((error: unknown) => {
      child.kill('SIGKILL');
      reject(error instanceof Error ? new Error(`${error.message}\n${output}`) : error);
    });
  });
}
