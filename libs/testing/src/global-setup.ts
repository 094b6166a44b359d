import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, startLocalKafka, startLocalPostgres, type LocalKafka, type LocalPostgres } from '@cds/local-infra';
import { TEST_KAFKA_BROKERS_VAR, TEST_POSTGRES_URL_VAR } from './test-infrastructure.js';

interface RunningInfrastructure {
  readonly dir: string;
  readonly postgres?: LocalPostgres;
  readonly kafka?: LocalKafka;
}

const registry = globalThis as typeof globalThis & { cdsTestInfrastructure?: RunningInfrastructure };

/** Starts one real Postgres and one real Kafka broker for the whole run (unless given). */
export default async function globalSetup(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cds-test-'));
  const needPostgres = !process.env[TEST_POSTGRES_URL_VAR];
  const needKafka = !process.env[TEST_KAFKA_BROKERS_VAR];
  const [postgres, kafka] = await Promise.all([
    needPostgres ? startLocalPostgres({ dataDir: path.join(dir, 'postgres'), port: await findFreePort() }) : undefined,
    needKafka
      ? startLocalKafka({ dataDir: path.join(dir, 'kafka'), port: await findFreePort(), controllerPort: await findFreePort() })
      : undefined,
  ]);
  if (postgres) process.env[TEST_POSTGRES_URL_VAR] = postgres.url('postgres');
  if (kafka) process.env[TEST_KAFKA_BROKERS_VAR] = kafka.brokers;
  registry.cdsTestInfrastructure = { dir, postgres, kafka };
}

export async function stopTestInfrastructure(): Promise<void> {
  const running = registry.cdsTestInfrastructure;
  registry.cdsTestInfrastructure = undefined;
  if (!running) return;
  await Promise.allSettled([running.kafka?.stop(), running.postgres?.stop()]);
  await rm(running.dir, { recursive: true, force: true });
}
