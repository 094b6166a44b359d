import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { MessageProducer } from '@cds/kafka';
import type { JsonLogger } from '../logging/json-logger.js';
import { coalesceLatestState } from './coalesce-latest-state.js';
import { OUTBOX_CHANNEL } from './outbox-table.js';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string | null;
  payload: string | null;
  headers: Record<string, string>;
}

const BATCH_SIZE = 500;
const IDLE_POLL_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Publishes committed outbox rows to Kafka in id order, then deletes them. One
 * instance of a service relays at a time (a session advisory lock), which keeps
 * per-key order; when Kafka is down the rows wait and nothing is lost.
 */
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private listener: pg.Client | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A notification came while the relay was busy: the next sleep returns at once instead of losing it. */
  private roused = false;
  private readonly published: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly databaseUrl: string,
    private readonly producer: MessageProducer,
    private readonly logger: JsonLogger,
    registry: Registry,
  ) {
    this.published = new Counter({ name: 'outbox_published_total', help: 'Outbox messages published to Kafka', registers: [registry] });
    const outboxDatabase = dataSource;
    // Counted when /metrics is scraped, not on every relay cycle (a count(*) each time the outbox empties).
    new Gauge({
      name: 'outbox_pending',
      help: 'Outbox messages waiting to be published',
      registers: [registry],
      async collect() {
        const rows = (await outboxDatabase.query('SELECT count(*)::int AS count FROM outbox').catch(() => [])) as { count: number }[];
        if (rows[0]) this.set(rows[0].count);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Before shutdown, while the pool and the producer are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.rouse();
    await this.loop;
  }

  /** Publishes what is pending now; resolves with how many messages went out. */
  async relayOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, topic, message_key, payload, headers FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      )) as OutboxRow[];
      if (rows.length === 0) return 0;
      await this.producer.sendSerialized(coalesceLatestState(rows.map((row) => ({ topic: row.topic, key: row.message_key, value: row.payload, headers: row.headers }))));
      await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      this.published.inc(rows.length);
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        if (!(await this.holdLeadership())) {
          await this.sleep(IDLE_POLL_MS * 2);
          continue;
        }
        this.roused = false;
        const sent = await this.relayOnce();
        backoff = 0;
        if (sent < BATCH_SIZE) await this.sleep(IDLE_POLL_MS);
      } catch (error) {
        backoff = Math.min(MAX_BACKOFF_MS, Math.max(200, backoff * 2));
        this.logger.pino.warn({ err: error, retryInMs: backoff }, 'outbox relay failed; messages stay in the outbox');
        await this.dropListener();
        await this.sleep(backoff);
      }
    }
    await this.dropListener();
  }

  /** Takes (or confirms) the relay lock on a dedicated connection that also LISTENs for new rows. */
  private async holdLeadership(): Promise<boolean> {
    if (this.listener) return true;
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 3000 });
    client.on('error', () => void this.dropListener());
    await client.connect();
    const result = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext('outbox-relay')) AS locked`);
    if (!result.rows[0]?.locked) {
      await client.end();
      return false;
    }
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    client.on('notification', () => this.rouse());
    this.listener = client;
    return true;
  }

  private async dropListener(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }

  private rouse(): void {
    this.roused = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.roused) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
