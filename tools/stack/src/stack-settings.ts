import path from 'node:path';

export const SERVICES = ['cdp', 'crm', 'sync'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type PostgresSetting = { readonly kind: 'external'; readonly serverUrl: string } | { readonly kind: 'embedded'; readonly port: number };
export type KafkaSetting =
  | { readonly kind: 'external'; readonly brokers: string }
  | { readonly kind: 'embedded'; readonly port: number; readonly controllerPort: number };

export interface StackSettings {
  /** Embedded Postgres and Kafka keep their data here between runs. */
  readonly dataDir: string;
  readonly postgres: PostgresSetting;
  readonly kafka: KafkaSetting;
  readonly servicePorts: Readonly<Record<ServiceName, number>>;
  readonly healthTimeoutMs: number;
}

export class StackSettingsError extends Error {}

const DEFAULT_PORTS = { cdp: 3001, crm: 3002, sync: 3003, postgres: 54329, kafka: 9092, kafkaController: 9093 } as const;

/** Reads the launcher's environment; every variable has a safe local default. */
export function stackSettingsFrom(env: NodeJS.ProcessEnv, repoRoot: string): StackSettings {
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new StackSettingsError(`${name}=${JSON.stringify(raw)} is not a TCP port (a whole number from 1 to 65535)`);
    }
    return value;
  };
  const databaseUrl = env['DATABASE_URL'];
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new StackSettingsError(`DATABASE_URL=${JSON.stringify(databaseUrl)} is not a postgres:// URL`);
  }
  const brokers = env['KAFKA_BROKERS'];
  return {
    dataDir: path.resolve(repoRoot, env['CDS_DATA_DIR'] || '.local/data'),
    postgres: databaseUrl ? { kind: 'external', serverUrl: databaseUrl } : { kind: 'embedded', port: port('POSTGRES_PORT', DEFAULT_PORTS.postgres) },
    kafka: brokers
      ? { kind: 'external', brokers }
      : { kind: 'embedded', port: port('KAFKA_PORT', DEFAULT_PORTS.kafka), controllerPort: port('KAFKA_CONTROLLER_PORT', DEFAULT_PORTS.kafkaController) },
    servicePorts: { cdp: port('CDP_PORT', DEFAULT_PORTS.cdp), crm: port('CRM_PORT', DEFAULT_PORTS.crm), sync: port('SYNC_PORT', DEFAULT_PORTS.sync) },
    healthTimeoutMs: port('CDS_HEALTH_TIMEOUT_SECONDS', 180) * 1000,
  };
}

/** Each service owns a database of its own name on the shared server. */
export function serviceDatabaseUrl(serverUrl: string, service: ServiceName): string {
  const url = new URL(serverUrl);
  url.pathname = `/${service}`;
  return url.toString();
}
