import { randomUUID } from 'node:crypto';
import { findFreePort } from '@cds/local-infra';
import { eventually } from '@cds/testing';
import { insightsSnapshot, profileMerged } from './cdp-messages.js';
import { call, type Answer } from './http.js';
import { startRefusingCrmProxy, type RefusingCrmProxy } from './refusing-crm-proxy.js';
import { SyncStack } from './sync-stack.js';

// The CDP and the CRM run as built services, and so do the two commands (apps/sync/dist/commands):
// `npx tsc -b tsconfig.build.json` first. The in-process sync reaches the CRM through a proxy that can refuse updates.
const SYNC_ADMIN = 'test-ops-sync-admin-token';
const INSIGHTS = 'cdp.profile-insights.v1';
const DEAD_LETTERS = 'sync.dead-letters.v1';

interface LogRow {
  id: string;
  kind: string;
  profileId: string | null;
  contactId: string | null;
  version: number | null;
  source: { topic: string; partition: number; offset: string } | null;
  reason: string | null;
}

interface Report {
  counts: { inSync: number; missing: number; stale: number; extra: number; unmatched: number };
  examples: { missing: { contactId: string }[]; stale: { contactId: string }[]; extra: { contactId: string }[]; unmatched: { profileId: string }[] };
}

const snapshot = (profileId: string, version: number, email: string, lifetimeValue = 50): string =>
  JSON.stringify(insightsSnapshot(profileId, version, { emails: [email] }, { lifetimeValue, channels: ['pos'] }));

describe('sync operations: sync log, dead-letter replay, full resync', () => {
  let stack: SyncStack;
  let proxy: RefusingCrmProxy;

  const syncLog = async (query: string, token: string | null = SYNC_ADMIN): Promise<Answer> => call(stack.sync.url, token ? `Bearer ${token}` : null, 'GET', `/v1/sync-log${query}`);
  const logRows = async (query: string): Promise<LogRow[]> => (await syncLog(query)).body['data'] as LogRow[];
  const produce = (messages: { key: string; value: string }[]): Promise<void> => stack.kafka.send(INSIGHTS, messages.map((message) => ({ partition: 0, ...message })));

  beforeAll(async () => {
    stack = await SyncStack.start('sync_ops', { cdp: true, crmTopics: 'own', sync: 'later' });
    proxy = await startRefusingCrmProxy(stack.crmUrl);
    await stack.startSync({ CRM_URL: proxy.url, SYNC_ADMIN_TOKEN: SYNC_ADMIN });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  }, 60_000);

  const ids: Record<string, string> = {};
  const profiles = { ana: randomUUID(), bo: randomUUID(), cy: randomUUID(), fay: randomUUID(), nobody: randomUUID() };

  it('logs what real traffic did, queryable by profile, contact and kind, page by page, for the admin token only', async () => {
    for (const name of ['ana', 'bo', 'cy', 'dee']) ids[name] = await stack.createContact(`${name}@example.com`);
    // One real shopper through the CDP...
    const writeKey = await stack.createSource('web-shop', 'web');
    const tracked = await stack.collect(writeKey, '/v1/track', { anonymousId: 'dee-1', event: 'Order Completed', properties: { revenue: 90, currency: 'EUR' }, context: { traits: { email: 'dee@example.com' } } });
    expect(tracked.status).toBe(200);
    // ...and snapshots as the CDP publishes them, with a poison message in between.
    await produce([
      { key: profiles.ana, value: snapshot(profiles.ana, 1, 'ana@example.com') },
      { key: profiles.bo, value: snapshot(profiles.bo, 1, 'bo@example.com') },
      { key: 'poison-json', value: 'this is not json' },
      { key: profiles.cy, value: snapshot(profiles.cy, 3, 'cy@example.com') },
      { key: profiles.nobody, value: snapshot(profiles.nobody, 1, 'nobody@example.com') },
    ]);
    await produce([{ key: profiles.ana, value: snapshot(profiles.ana, 2, 'ana@example.com', 75) }]);
    await eventually(async () => (await stack.contact(ids['dee'] ?? '')).enrichment !== null, "the CDP's insights on Dee's contact", 20_000);
    await eventually(async () => (await logRows(`?profileId=${profiles.ana}&kind=applied`)).some((row) => row.version === 2), "Ana's second version in the sync log", 20_000);

    expect((await syncLog('', null)).status).toBe(401);
    expect((await syncLog('', 'wrong-token-of-length')).status).toBe(401);

    const ana = await logRows(`?contactId=${ids['ana'] ?? ''}`);
    expect(ana.length).toBeGreaterThanOrEqual(1);
    expect(ana.every((row) => row.contactId === ids['ana'] && row.profileId === profiles.ana)).toBe(true);
    expect(ana[0]).toMatchObject({ kind: 'applied', version: 2, source: { topic: `${stack.topicPrefix}${INSIGHTS}`, partition: 0 } });
    const [poison] = await eventually(async () => {
      const rows = await logRows('?kind=dead_lettered');
      return rows.length > 0 ? rows : undefined;
    }, 'the poison message in the sync log');
    expect(poison).toMatchObject({ kind: 'dead_lettered', profileId: 'poison-json', source: { topic: `${stack.topicPrefix}${INSIGHTS}`, partition: 0 }, reason: expect.stringMatching(/JSON/) });
    expect(await logRows(`?profileId=${profiles.nobody}`)).toEqual([expect.objectContaining({ kind: 'not_found', reason: expect.stringContaining('email') })]);
    // The per-message consumers log too: Bo's profile merged into a new survivor moves its link.
    const survivor = randomUUID();
    const merge = profileMerged(survivor, [profiles.bo], 1, { emails: ['bo@example.com'] });
    await stack.kafka.send('cdp.profile-merges.v1', [{ key: survivor, value: JSON.stringify(merge) }]);
    const [merged] = await eventually(async () => {
      const rows = await logRows(`?profileId=${survivor}&kind=merged`);
      return rows.length > 0 ? rows : undefined;
    }, "Bo's merge in the sync log", 20_000);
    expect(merged).toMatchObject({ reason: 'link-moved', source: { topic: `${stack.topicPrefix}cdp.profile-merges.v1` } });

    const applied = await logRows('?kind=applied');
    expect(applied.length).toBeGreaterThanOrEqual(4);
    const first = await syncLog('?kind=applied&limit=2');
    const second = await syncLog(`?kind=applied&limit=2&cursor=${first.body['nextCursor'] as string}`);
    const pages = [...(first.body['data'] as LogRow[]), ...(second.body['data'] as LogRow[])];
    expect(pages.map((row) => row.id)).toEqual(applied.slice(0, 4).map((row) => row.id));
    expect(pages.map((row) => Number(row.id))).toEqual(pages.map((row) => Number(row.id)).sort((a, b) => b - a));
    expect((await logRows(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).length).toBe(0);

    for (const [query, parameter] of [['?limit=0', 'limit'], ['?kind=exploded', 'kind'], ['?since=yesterday', 'since'], ['?cursor=forged', 'cursor']] as const) {
      expect(await syncLog(query)).toMatchObject({ status: 400, body: { parameter, message: expect.stringContaining(parameter) } });
    }
  }, 60_000);

  it('replays a refused message once the CRM takes it, leaving filtered-out letters for later; a second run does nothing', async () => {
    ids['fay'] = await stack.createContact('fay@example.com');
    proxy.refusedProfiles.add(profiles.fay);
    await produce([{ key: profiles.fay, value: snapshot(profiles.fay, 1, 'fay@example.com') }]);
    await eventually(async () => (await logRows(`?profileId=${profiles.fay}&kind=dead_lettered`)).length === 1, "Fay's refused snapshot dead-lettered", 20_000);
    expect((await stack.contact(ids['fay'] ?? '')).enrichment).toBeNull();
    proxy.refusedProfiles.clear();

    const dry = await stack.runCommand('replay-dead-letters', ['--dry-run', '--reason-contains', 'refused']);
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining('would replay 1') });
    const replay = await stack.runCommand('replay-dead-letters', ['--reason-contains', 'refused']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('read 2, applied 1, stale 0, not found 0, failed again 0, skipped 1');
    const fay = await stack.contact(ids['fay'] ?? '');
    expect(fay.enrichment?.lifetimeValue).toBe(50);
    expect(await logRows(`?profileId=${profiles.fay}&kind=replayed`)).toEqual([expect.objectContaining({ contactId: ids['fay'], version: 1, reason: expect.stringContaining('applied') })]);

    const again = await stack.runCommand('replay-dead-letters', ['--reason-contains', 'refused']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('applied 0, stale 0, not found 0, failed again 0, skipped 1');
    expect((await stack.contact(ids['fay'] ?? '')).timeline.filter((entry) => entry.kind === 'insight')).toHaveLength(fay.timeline.filter((entry) => entry.kind === 'insight').length);

    // Unfiltered, the poison message fails again and goes back with its replay count.
    const all = await stack.runCommand('replay-dead-letters', []);
    expect(all.stdout).toContain('applied 0, stale 0, not found 0, failed again 1, skipped 0');
    const letters = await stack.kafka.read(DEAD_LETTERS);
    const replayed = await eventually(() => letters.find((letter) => letter.key === 'poison-json' && letter.headers['replay-count'] === '1'), 'the poison letter back with replay-count 1');
    expect(replayed.headers).toMatchObject({ 'original-topic': `${stack.topicPrefix}${INSIGHTS}`, 'original-partition': '0', 'dead-letter-reason': expect.stringMatching(/JSON/) });

    const unreachable = await stack.runCommand('replay-dead-letters', [], { CRM_URL: `http://127.0.0.1:${await findFreePort()}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the CRM (CRM_URL)');
  }, 90_000);

  it('reports deliberate CRM damage as exactly missing, stale and extra, repairs it, and then finds everything in sync', async () => {
    ids['gus'] = await stack.createContact('gus@example.com');
    const ghost = randomUUID();
    // An enrichment from a profile the topic never had (as left behind by a lost tombstone).
    const enrichment = { currency: 'EUR', lifetimeValue: 1, predictedLifetimeValue: null, orderCount: 1, averageOrderValue: 1, lastSeenAt: null, churnRisk: null, rfm: null, segments: [], consent: [] };
    const extra = await stack.crmInternal('POST', '/internal/v1/enrichment', { updates: [{ contactId: ids['gus'], profileId: ghost, version: 5, enrichment }] });
    expect(extra.status).toBe(200);
    await stack.crmSql.query(`UPDATE contacts SET enrichment = NULL, cdp_profile_id = NULL, enrichment_version = 0, enrichment_synced_at = NULL, segment_keys = '{}' WHERE id = $1`, [ids['ana']]);
    await stack.crmSql.query('UPDATE contacts SET enrichment_version = 1 WHERE id = $1', [ids['cy']]);

    const dry = await stack.runCommand('resync', ['--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const before = JSON.parse(dry.stdout) as { before: Report; repaired: unknown; after: unknown };
    expect(before.before.counts).toMatchObject({ missing: 1, stale: 1, extra: 1, unmatched: 1 });
    expect(before.before.examples.missing.map((item) => item.contactId)).toEqual([ids['ana']]);
    expect(before.before.examples.stale.map((item) => item.contactId)).toEqual([ids['cy']]);
    expect(before.before.examples.extra.map((item) => item.contactId)).toEqual([ids['gus']]);
    expect(before.before.examples.unmatched.map((item) => item.profileId)).toEqual([profiles.nobody]);
    expect(before).toMatchObject({ repaired: null, after: null });
    expect((await stack.contact(ids['ana'] ?? '')).enrichment).toBeNull();

    const repair = await stack.runCommand('resync', ['--json']);
    expect(repair.code).toBe(0);
    const repaired = JSON.parse(repair.stdout) as { repaired: Record<string, number>; after: Report };
    expect(repaired.repaired).toEqual({ sent: 2, applied: 2, stale: 0, notFound: 0, deadLettered: 0, cleared: 1 });
    expect(repaired.after.counts).toMatchObject({ missing: 0, stale: 0, extra: 0, unmatched: 1 });
    expect(await stack.contact(ids['ana'] ?? '')).toMatchObject({ enrichment: { lifetimeValue: 75 }, enrichmentVersion: 2 });
    expect((await stack.contact(ids['cy'] ?? '')).enrichmentVersion).toBe(3);
    expect((await stack.contact(ids['gus'] ?? '')).enrichment).toBeNull();
    expect((await logRows('?kind=resynced')).map((row) => row.contactId).sort()).toEqual([ids['ana'], ids['cy'], ids['gus']].sort());

    const check = await stack.runCommand('resync', ['--dry-run']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/missing\s+0\n/);
    expect(check.stdout).toMatch(/stale\s+0\n/);
    expect(check.stdout).toMatch(/extra\s+0\n/);
  }, 120_000);
});
