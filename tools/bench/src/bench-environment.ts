import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  findFreePort,
  startLocalKafka,
  startLocalPostgres,
  startServiceProcess,
  stopServiceProcess,
  waitUntilHealthy,
  type LocalKafka,
  type LocalPostgres,
  type ServiceProcess,
} from '@cds/local-infra';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** A throwaway Postgres + Kafka + one built service, as a benchmark needs them. */
export interface BenchEnvironment {
  readonly postgres: LocalPostgres;
  readonly kafka: LocalKafka;
  readonly service: ServiceProcess;
  readonly url: string;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

export async function startBenchEnvironment(service: string, env: Record<string, string>): Promise<BenchEnvironment> {
  const dir = await mkdtemp(path.join(tmpdir(), `bench-${service}-`));
  const [postgres, kafka] = await Promise.all([
    startLocalPostgres({ dataDir: path.join(dir, 'postgres'), port: await findFreePort(), persistent: true }),
    startLocalKafka({ dataDir: path.join(dir, 'kafka'), port: await findFreePort(), controllerPort: await findFreePort(), persistent: true }),
  ]);
  const port = await findFreePort();
  const databaseUrl = postgres.url(service);
  const child = startServiceProcess(repoRoot, service, { PORT: String(port), DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafka.brokers, LOG_LEVEL: 'warn', ...env });
  await waitUntilHealthy(child, port, 120_000);
  return {
    postgres,
    kafka,
    service: child,
    url: `http://127.0.0.1:${port}`,
    databaseUrl,
    close: async () => {
      await stopServiceProcess(child);
      await Promise.all([kafka.stop(), postgres.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))] as number;
}
