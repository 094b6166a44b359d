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
  /** Starts one more instance of the service against the same Postgres and Kafka; `close` stops it too. */
  startInstance(env: Record<string, string>): Promise<ServiceProcess & { readonly port: number }>;
  close(): Promise<void>;
}

export async function startBenchEnvironment(service: string, env: Record<string, string>): Promise<BenchEnvironment> {
  const dir = await mkdtemp(path.join(tmpdir(), `bench-${service}-`));
  const [postgres, kafka] = await Promise.all([
    startLocalPostgres({ dataDir: path.join(dir, 'postgres'), port: await findFreePort(), persistent: true }),
    startLocalKafka({ dataDir: path.join(dir, 'kafka'), port: await findFreePort(), controllerPort: await findFreePort(), persistent: true }),
  ]);
  const databaseUrl = postgres.url(service);
  const instances: ServiceProcess[] = [];
  const startInstance = async (instanceEnv: Record<string, string>): Promise<ServiceProcess & { port: number }> => {
    const port = await findFreePort();
    const child = startServiceProcess(repoRoot, service, { PORT: String(port), DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafka.brokers, LOG_LEVEL: 'warn', ...env, ...instanceEnv });
    instances.push(child);
    await waitUntilHealthy(child, port, 120_000);
    return { ...child, port };
  };
  const first = await startInstance({});
  return {
    postgres,
    kafka,
    service: first,
    url: `http://127.0.0.1:${first.port}`,
    databaseUrl,
    startInstance,
    close: async () => {
      await Promise.all(instances.map((instance) => stopServiceProcess(instance)));
      await Promise.all([kafka.stop(), postgres.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))] as number;
}
