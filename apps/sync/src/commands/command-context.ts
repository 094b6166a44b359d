import type { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createKafkajsClient, KafkajsMessageProducer, parseBrokerList, type MessageProducer, type SerializedMessage } from '@cds/kafka';
import { ConfigError, loadEnv, postgresDataSourceOptions, runMigrationsExclusively } from '@cds/service-kit';
import { SyncEnv } from '../config/sync-env.js';
import type { InsightsBatchDependencies } from '../bridge/insights-batch-processor.js';
import { CrmContactsClient } from '../crm/crm-contacts.client.js';
import { CrmEnrichmentClient, RetryableCrmError } from '../crm/crm-enrichment.client.js';
import { syncDatabase } from '../database/sync-database.js';
import { MatchStore } from '../matching/match-store.js';
import { SyncLog } from '../sync-log/sync-log.js';
import { SyncLogStore } from '../sync-log/sync-log.store.js';
import { UsageError } from './command-args.js';

/** Something the command needs cannot be reached or is misconfigured: exit 1 with this message. */
export class UnreachableError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}

/** What an operations command uses: the service's own env, database, Kafka and CRM. */
export interface CommandContext {
  readonly env: SyncEnv;
  readonly dataSource: DataSource;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: MessageProducer;
  readonly crm: CrmEnrichmentClient;
  readonly contacts: CrmContactsClient;
  readonly store: MatchStore;
  readonly syncLog: SyncLog;
}

/** Opens everything, checking each is reachable (so the command fails before it changes anything), and closes it all after `run`. */
export async function withCommandContext<T>(run: (context: CommandContext) => Promise<T>): Promise<T> {
  const env = loadEnv(SyncEnv);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const dataSource = new DataSource({ ...postgresDataSourceOptions({ ...syncDatabase, url: env.DATABASE_URL }), logging: false });
    await reach('the sync database (DATABASE_URL)', async () => {
      await dataSource.initialize();
      closers.push(() => dataSource.destroy());
      await runMigrationsExclusively(dataSource, decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1)));
    });
    const kafka = createKafkajsClient({ brokers: parseBrokerList(env.KAFKA_BROKERS), clientId: 'sync-command', topicPrefix: env.KAFKA_TOPIC_PREFIX }, (level, message) => {
      if (level === 'warn' && process.env['SYNC_COMMAND_DEBUG']) process.stderr.write(`kafka: ${message}\n`);
    }, { retries: 2 });
    const admin = kafka.admin();
    const producer = new KafkajsMessageProducer(kafka, env.KAFKA_TOPIC_PREFIX);
    await reach('Kafka (KAFKA_BROKERS)', async () => {
      await admin.connect();
      closers.push(() => admin.disconnect());
      await admin.listTopics();
      await producer.connect();
      closers.push(() => producer.disconnect());
    });
    await reach('the CRM (CRM_URL)', async () => {
      const response = await fetch(`${env.CRM_URL.replace(/\/+$/, '')}/health`, { signal: AbortSignal.timeout(5000) });
      if (response.status !== 200) throw new Error(`GET /health answered ${response.status}`);
    });
    const syncLog = new SyncLog(new SyncLogStore(dataSource));
    const crmOptions = { baseUrl: env.CRM_URL, apiKey: env.CRM_SYNC_API_KEY };
    const clients = { crm: new CrmEnrichmentClient(crmOptions), contacts: new CrmContactsClient(crmOptions), store: new MatchStore(dataSource) };
    const result = await run({ env, dataSource, kafka, admin, producer, syncLog, ...clients });
    await syncLog.flushAll();
    return result;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** The bridge's insights batch dependencies over a command's clients: contacts are created in upsert mode, as the bridge does. */
export function batchDependencies(
  context: Pick<CommandContext, 'env' | 'crm' | 'contacts' | 'store'>,
  deadLetter: (messages: readonly SerializedMessage[]) => Promise<void>,
): InsightsBatchDependencies {
  return {
    sendToCrm: (batch) => context.crm.send(batch),
    createContacts: context.env.SYNC_MODE === 'upsert' ? (batch) => context.contacts.create(batch) : undefined,
    links: (ids) => context.store.links(ids),
    record: (changes) => context.store.record(changes),
    deadLetter,
  };
}

async function reach(what: string, attempt: () => Promise<void>): Promise<void> {
  try {
    await attempt();
  } catch (error) {
    throw new UnreachableError(`cannot reach ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The commands' `main`: runs, then exits 0; 2 on a bad command line; 1 with a clear message on anything else. */
export async function runCommand(usage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
    process.exitCode = 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${usage}\n`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError || error instanceof UnreachableError || error instanceof RetryableCrmError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
