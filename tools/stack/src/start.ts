import path from 'node:path';
import {
  LocalToolMissingError,
  startLocalKafka,
  startLocalPostgres,
  startServiceProcess,
  stopServiceProcess,
  waitUntilHealthy,
  type LocalKafka,
  type LocalPostgres,
  type ServiceProcess,
} from '@cds/local-infra';
import { SERVICES, serviceDatabaseUrl, stackSettingsFrom, StackSettingsError, type ServiceName, type StackSettings } from './stack-settings.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Local development credentials, printed at start; every one can be overridden from the environment. */
const devCredentials = {
  cdpAdminToken: process.env['CDP_ADMIN_TOKEN'] || 'dev-cdp-admin-token',
  cdpWriteKey: process.env['CDP_DEV_WRITE_KEY'] || 'dev-web-write-key-0001',
  crmAdminKey: process.env['CRM_ADMIN_API_KEY'] || 'dev-crm-admin-key-0001',
  crmSyncKey: process.env['CRM_SYNC_API_KEY'] || 'dev-crm-sync-key-0001',
};
const serviceSpecificEnv: Record<ServiceName, Record<string, string>> = {
  cdp: { CDP_ADMIN_TOKEN: devCredentials.cdpAdminToken, CDP_DEV_WRITE_KEY: devCredentials.cdpWriteKey },
  crm: { CRM_ADMIN_API_KEY: devCredentials.crmAdminKey, CRM_SYNC_API_KEY: devCredentials.crmSyncKey },
  sync: {},
};
const say = (line: string): void => console.log(`[stack] ${line}`);

interface RunningStack {
  postgres?: LocalPostgres;
  kafka?: LocalKafka;
  services: ServiceProcess[];
}

async function startStack(settings: StackSettings, running: RunningStack): Promise<void> {
  const started = Date.now();
  const [postgresUrl, brokers] = await Promise.all([
    (async () => {
      if (settings.postgres.kind === 'external') return settings.postgres.serverUrl;
      say(`starting PostgreSQL on 127.0.0.1:${settings.postgres.port}`);
      running.postgres = await startLocalPostgres({ dataDir: path.join(settings.dataDir, 'postgres'), port: settings.postgres.port, persistent: true });
      return running.postgres.url('postgres');
    })(),
    (async () => {
      if (settings.kafka.kind === 'external') return settings.kafka.brokers;
      say(`starting Kafka on 127.0.0.1:${settings.kafka.port}`);
      running.kafka = await startLocalKafka({
        dataDir: path.join(settings.dataDir, 'kafka'),
        port: settings.kafka.port,
        controllerPort: settings.kafka.controllerPort,
        persistent: true,
      });
      return running.kafka.brokers;
    })(),
  ]);
  say(`infrastructure ready after ${seconds(started)} s; starting services`);
  for (const name of SERVICES) {
    running.services.push(
      startServiceProcess(repoRoot, name, {
        PORT: String(settings.servicePorts[name]),
        DATABASE_URL: serviceDatabaseUrl(postgresUrl, name),
        KAFKA_BROKERS: brokers,
        ...serviceSpecificEnv[name],
        // The bridge writes into this stack's CRM, wherever CRM_PORT put it.
        ...(name === 'sync' ? { CRM_URL: `http://127.0.0.1:${settings.servicePorts.crm}`, CRM_SYNC_API_KEY: devCredentials.crmSyncKey } : {}),
      }),
    );
  }
  await Promise.all(running.services.map((service, index) => waitUntilHealthy(service, settings.servicePorts[SERVICES[index] as ServiceName], settings.healthTimeoutMs)));
  const postgresUser = new URL(postgresUrl);
  say(`all healthy in ${seconds(started)} s`);
  console.log(
    [
      '',
      `  CDP    http://127.0.0.1:${settings.servicePorts.cdp}   (health: /health, metrics: /metrics)`,
      `         admin API: Authorization: Bearer ${devCredentials.cdpAdminToken}`,
      `         source "dev-web" write key: ${devCredentials.cdpWriteKey}  (curl -u ${devCredentials.cdpWriteKey}: ...)`,
      `  CRM    http://127.0.0.1:${settings.servicePorts.crm}`,
      `         API: Authorization: Bearer ${devCredentials.crmAdminKey}  (admin; the sync bridge uses ${devCredentials.crmSyncKey})`,
      `  Sync   http://127.0.0.1:${settings.servicePorts.sync}`,
      `  Postgres  ${postgresUser.host}  user ${decodeURIComponent(postgresUser.username)}  password ${decodeURIComponent(postgresUser.password)}  databases: ${SERVICES.join(', ')}`,
      `  Kafka     ${brokers}`,
      `  Data      ${settings.postgres.kind === 'embedded' || settings.kafka.kind === 'embedded' ? settings.dataDir : '(external servers)'}`,
      '',
      '  Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

async function stopStack(running: RunningStack): Promise<void> {
  // Services first (they flush producers and commit offsets), then what they use.
  await Promise.all(running.services.map((service) => stopServiceProcess(service)));
  await Promise.allSettled([running.kafka?.stop(), running.postgres?.stop()]);
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

async function main(): Promise<void> {
  let settings: StackSettings;
  try {
    settings = stackSettingsFrom(process.env, repoRoot);
  } catch (error) {
    if (!(error instanceof StackSettingsError)) throw error;
    say(`configuration error: ${error.message}`);
    process.exit(1);
  }
  const running: RunningStack = { services: [] };
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string, exitCode: number): Promise<void> =>
    (stopping ??= (async () => {
      say(`${reason}: stopping`);
      await stopStack(running);
      say('stopped');
      process.exit(exitCode);
    })());
  process.once('SIGINT', () => void shutdown('interrupted', 0));
  process.once('SIGTERM', () => void shutdown('terminated', 0));

  try {
    await startStack(settings, running);
  } catch (error) {
    say(error instanceof LocalToolMissingError ? error.message : `failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown('start failed', 1);
    return;
  }
  // A service that dies after start takes the stack down rather than leaving it half up.
  const firstExit = await Promise.race(running.services.map(async (service) => ({ service, how: await service.exited })));
  await shutdown(`${firstExit.service.name} exited (${firstExit.how})`, 1);
}

await main();
