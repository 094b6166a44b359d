import { randomUUID } from 'node:crypto';
import { parseContractValue, profileInsightsV1, TOPICS, type ProfileInsightsV1 } from '@cds/contracts';
import { stopServiceProcess } from '@cds/local-infra';
import { eventually } from '@cds/testing';
import { insightsSnapshot } from './cdp-messages.js';
import { metric } from './http.js';
import { SyncStack, type SyncProcess } from './sync-stack.js';

// Failure cases of the bridge on a real Postgres and Kafka, with the CRM and the
// sync run as their built services (`npx tsc -b tsconfig.build.json`) so they can
// be stopped, killed and restarted like in production. Insights are published
// straight to the topic (no CDP): each profile's versions go out in order, as the
// CDP's outbox relay sends them, and the CRM's database is the judge.

interface Tracked {
  readonly contactId: string;
  readonly email: string;
  readonly profileId: string;
}

/** The lifetime value of version `v`: every version changes it, so every applied version leaves exactly one timeline line. */
const ltvOf = (version: number): number => version * 10;

function snapshot(target: Tracked, version: number): ProfileInsightsV1 {
  return parseContractValue(profileInsightsV1, insightsSnapshot(target.profileId, version, { emails: [target.email] }, { lifetimeValue: ltvOf(version), orderCount: version, averageOrderValue: 10 }));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('sync bridge failures: CRM outage, SIGKILL, rebalance', () => {
  let stack: SyncStack;
  let sync: SyncProcess;

  /** `count` live contacts written straight into the CRM database, each with the CDP profile that will describe it. */
  const seedContacts = async (label: string, count: number): Promise<Tracked[]> => {
    const { rows } = await stack.crmSql.query<{ id: string; email: string }>(
      `INSERT INTO contacts (first_name, last_name, email) SELECT 'First' || n, $1::text, $1::text || '-' || n || '@failures.example' FROM generate_series(1, $2::int) AS n RETURNING id, email`,
      [label, count],
    );
    return rows.map((row) => ({ contactId: row.id, email: row.email, profileId: randomUUID() }));
  };

  const publishVersion = (targets: readonly Tracked[], version: number): Promise<void> => stack.kafka.publish(profileInsightsV1, targets.map((target) => snapshot(target, version)));

  /** Publishes version after version of every target until stopped, like a busy CDP; resolves with the last version published. */
  const startStream = (targets: readonly Tracked[], paceMs: number): { readonly published: () => number; stop(): Promise<number> } => {
    let version = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        await publishVersion(targets, version + 1);
        version += 1;
        await sleep(paceMs);
      }
    })();
    return {
      published: () => version,
      stop: async () => {
        running = false;
        await loop;
        return version;
      },
    };
  };

  const versions = async (targets: readonly Tracked[]): Promise<Map<string, { version: number; ltv: number | null }>> => {
    const { rows } = await stack.crmSql.query<{ id: string; enrichment_version: string; ltv: number | null }>(
      `SELECT id, enrichment_version, (enrichment ->> 'lifetimeValue')::float8 AS ltv FROM contacts WHERE id = ANY($1::uuid[])`,
      [targets.map((target) => target.contactId)],
    );
    return new Map(rows.map((row) => [row.id, { version: Number(row.enrichment_version), ltv: row.ltv }]));
  };

  const appliedCount = async (targets: readonly Tracked[], version: number): Promise<number> =>
    [...(await versions(targets)).values()].filter((held) => held.version >= version).length;

  /** Every contact holds `version` (and its content), never more, never less. */
  const expectAllAt = async (targets: readonly Tracked[], version: number, timeoutMs: number): Promise<void> => {
    await eventually(
      async () => (await appliedCount(targets, version)) === targets.length,
      `all ${targets.length} contacts to hold version ${version}`,
      timeoutMs,
    ).catch(async (error: unknown) => {
      const held = [...(await versions(targets)).values()].map((entry) => entry.version);
      throw new Error(`${(error as Error).message}; versions held: min ${Math.min(...held)}, max ${Math.max(...held)}, at ${version}: ${held.filter((v) => v === version).length}`);
    });
    for (const [contactId, held] of await versions(targets)) expect({ contactId, ...held }).toEqual({ contactId, version, ltv: ltvOf(version) });
  };

  /**
   * The CRM's own record of what it applied, read from contact_timeline: per
   * contact, one "LTV a → b" line per applied version, versions strictly rising,
   * each line starting where the previous one ended, the last one at the final
   * value. A duplicate (a redelivery applied twice) or a stale overwrite breaks it.
   */
  const expectCleanTimelines = async (targets: readonly Tracked[], finalVersion: number): Promise<number> => {
    const { rows } = await stack.crmSql.query<{ contact_id: string; summary: string; version: string }>(
      `SELECT contact_id, summary, detail ->> 'version' AS version FROM contact_timeline WHERE kind = 'insight' AND contact_id = ANY($1::uuid[]) ORDER BY contact_id, id`,
      [targets.map((target) => target.contactId)],
    );
    const duplicates = await stack.crmSql.query(
      `SELECT contact_id, detail ->> 'version' AS version, count(*) FROM contact_timeline WHERE kind = 'insight' AND contact_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
      [targets.map((target) => target.contactId)],
    );
    expect(duplicates.rows).toEqual([]);
    const byContact = new Map<string, { summary: string; version: number }[]>();
    for (const row of rows) byContact.set(row.contact_id, [...(byContact.get(row.contact_id) ?? []), { summary: row.summary, version: Number(row.version) }]);
    expect(byContact.size).toBe(targets.length);
    const problems: string[] = [];
    for (const [contactId, entries] of byContact) {
      let previousVersion = 0;
      let previousLtv = 0;
      for (const entry of entries) {
        const expected = `LTV ${previousLtv.toFixed(2)} → ${ltvOf(entry.version).toFixed(2)} EUR`;
        if (entry.version <= previousVersion || entry.summary !== expected) problems.push(`${contactId}: v${entry.version} "${entry.summary}" after v${previousVersion} (expected "${expected}")`);
        previousVersion = entry.version;
        previousLtv = ltvOf(entry.version);
      }
      if (previousVersion !== finalVersion) problems.push(`${contactId}: timeline ends at v${previousVersion}, not v${finalVersion}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    return rows.length;
  };

  const deadLetterCount = (): Promise<number> => stack.kafka.messageCount(TOPICS.syncDeadLetters.name);

  beforeAll(async () => {
    // The CRM on topics of its own; the sync processes create the bridge's topics (insights and dead letters) as they start.
    stack = await SyncStack.start('sync_fail', { crmTopics: 'own', sync: 'later', childLogLevel: 'error' });
    sync = await stack.startSyncProcess();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('drains the backlog once the CRM is back after an outage under load, to the newest version, nothing lost or dead-lettered', async () => {
    const targets = await seedContacts('outage', 150);
    await stack.stopCrm();
    const failuresBefore = await metric(sync.url, 'sync_crm_request_duration_seconds_count', 'outcome="error"');
    for (const version of [1, 2, 3]) await publishVersion(targets, version); // 450 snapshots while the CRM is down
    await eventually(async () => (await metric(sync.url, 'sync_crm_request_duration_seconds_count', 'outcome="error"')) > failuresBefore, 'the sync to find the CRM unreachable');
    await sleep(4000);
    expect(await appliedCount(targets, 1)).toBe(0);

    await stack.startCrm(); // same port, same database
    const back = Date.now();
    await expectAllAt(targets, 3, 45_000);
    console.info(`outage: backlog of 450 snapshots applied ${((Date.now() - back) / 1000).toFixed(1)} s after the CRM was back`);
    await expectCleanTimelines(targets, 3);
    expect(await deadLetterCount()).toBe(0);
    expect(await metric(sync.url, 'sync_dead_letters_total')).toBe(0);
  }, 90_000);

  it('recovers from a SIGKILL of the sync mid-stream: the CRM ends at the latest state, no timeline entry twice', async () => {
    const targets = await seedContacts('sigkill', 120);
    const stream = startStream(targets, 300);
    // Killed while it is applying: some versions in the CRM, more on the way.
    await eventually(async () => stream.published() >= 3 && (await appliedCount(targets, 1)) > 0, 'the sync to be applying the stream', 30_000);
    sync.process.child.kill('SIGKILL');
    expect(await sync.process.exited).toBe('SIGKILL');
    const killedAt = stream.published();
    const restarted = Date.now();
    sync = await stack.startSyncProcess();
    const restartSeconds = (Date.now() - restarted) / 1000;
    // A few more versions after the restart, then the stream ends.
    await eventually(() => stream.published() >= killedAt + 3, 'the stream to go on', 20_000);
    const last = await stream.stop();
    // The killed member holds its partitions until its session times out (30 s, kafkajs' default).
    await expectAllAt(targets, last, 75_000);
    const lines = await expectCleanTimelines(targets, last);
    console.info(`sigkill: killed at v${killedAt}, restarted instance healthy after ${restartSeconds.toFixed(1)} s, stream ended at v${last}, ${lines} timeline lines over ${targets.length} contacts`);
    expect(await deadLetterCount()).toBe(0);
  }, 150_000);

  it('hands partitions over between two instances mid-stream: no loss, no stale overwrite', async () => {
    const targets = await seedContacts('rebalance', 120);
    const stream = startStream(targets, 300);
    await eventually(async () => (await appliedCount(targets, 1)) > 0, 'the first instance to be applying the stream', 30_000);
    const first = sync;
    const second = await stack.startSyncProcess(); // the group rebalances over the two
    await eventually(() => metric(second.url, 'sync_enrichment_applied_total'), 'the second instance to apply some of the stream', 30_000);
    await stopServiceProcess(first.process); // and again over the one left
    sync = second;
    const stoppedAt = stream.published();
    await eventually(() => stream.published() >= stoppedAt + 3, 'the stream to go on', 20_000);
    const last = await stream.stop();
    await expectAllAt(targets, last, 45_000);
    await expectCleanTimelines(targets, last);
    expect(await deadLetterCount()).toBe(0);
  }, 120_000);
});
