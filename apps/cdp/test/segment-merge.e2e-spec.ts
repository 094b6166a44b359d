import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPICS } from '@cds/contracts';
import { CdpHarness, eventually, TestClock } from './cdp-harness.js';

interface InsightsBody {
  profileId: string;
  version: number;
  snapshot: { segments: { key: string; enteredAt: string }[] } | null;
  segmentHistory: { segmentId: string; enteredAt: string; exitedAt: string | null }[];
}
interface MembershipMessage {
  profileId: string;
  segmentKey: string;
  change: 'entered' | 'exited';
  occurredAt: string;
  profileVersion: number;
}
interface InsightsMessage {
  profileId: string;
  version: number;
  segments: { key: string; enteredAt: string }[];
}

const HOUR = 3_600_000;

describe('segment memberships when an event merges two profiles', () => {
  const clock = new TestClock();
  let cdp: CdpHarness;
  let appKey: string;
  const segmentIds = new Map<string, string>();

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-segment-merge', { clock, env: { LOG_LEVEL: 'warn' } });
    appKey = await cdp.createSource('mobile-app', 'app');
    const segments = {
      gold: { trait: 'plan', op: 'eq', value: 'gold' },
      buyers: { insight: 'orderCount', op: 'gte', value: 1 },
      'non-buyers': { insight: 'orderCount', op: 'eq', value: 0 },
      'newsletter-buyers': { all: [{ trait: 'newsletter', op: 'eq', value: true }, { insight: 'orderCount', op: 'gte', value: 1 }] },
    };
    for (const [key, rule] of Object.entries(segments)) {
      const created = await cdp.admin('POST', '/v1/segments', { key, name: key, rule });
      expect(created.status).toBe(201);
      segmentIds.set(key, (created.body as { id: string }).id);
    }
    // No back-fill may evaluate a profile later, at a moved clock.
    await eventually(async () => ((await cdp.admin('GET', '/v1/segments')).body as { backfill: { status: string } }[]).every((segment) => segment.backfill.status === 'done') || undefined, 'the back-fills to finish');
  }, 60_000);
  afterAll(async () => {
    await cdp?.stop();
  });

  const send = async (path: string, body: Record<string, unknown>): Promise<void> => {
    expect(await cdp.send(path, appKey, { ...body, timestamp: clock.now().toISOString() })).toMatchObject({ status: 200, body: { success: true } });
    await eventually(async () => (await cdp.query('SELECT 1 FROM events WHERE message_id = $1', [body['messageId']]))[0], `${String(body['messageId'])} to be processed`);
  };
  const insightsOf = async (reference: string): Promise<InsightsBody> => {
    const { status, body } = await cdp.admin('GET', `/v1/profiles/${encodeURIComponent(reference)}/insights`);
    if (status !== 200) throw new Error(`GET insights ${reference}: ${status} ${JSON.stringify(body)}`);
    return body as InsightsBody;
  };
  const enteredAt = (body: InsightsBody): Record<string, string> => Object.fromEntries((body.snapshot?.segments ?? []).map((segment) => [segment.key, segment.enteredAt]));

  it("keeps the earliest entry of the segments either profile was in, enters only what is new, and exits what the survivor lost", async () => {
    const start = clock.now().toISOString();
    // The survivor-to-be (the older profile): a newsletter reader with no order, in non-buyers from the start.
    await send('/v1/identify', { userId: 'mia', traits: { newsletter: true }, messageId: 'mia-1' });
    const survivorId = (await insightsOf('user_id:mia')).profileId;

    // An hour later, anonymously in the app: a gold customer's order, a second profile in gold and buyers.
    clock.advance(HOUR);
    const mergedAwayEntry = clock.now().toISOString();
    await send('/v1/track', { anonymousId: 'mia-anon', event: 'Order Completed', properties: { order_id: 'mia-o1', revenue: 30 }, context: { traits: { plan: 'gold' } }, messageId: 'mia-2' });
    const mergedAway = await insightsOf('anonymous_id:mia-anon');
    expect(mergedAway.profileId).not.toBe(survivorId);
    expect(enteredAt(mergedAway)).toEqual({ gold: mergedAwayEntry, buyers: mergedAwayEntry });

    // Another hour later, the older profile is in gold too, on its own.
    clock.advance(HOUR);
    const survivorGoldEntry = clock.now().toISOString();
    await send('/v1/identify', { userId: 'mia', traits: { plan: 'gold' }, messageId: 'mia-3' });
    expect(enteredAt(await insightsOf('user_id:mia'))).toEqual({ 'non-buyers': start, gold: survivorGoldEntry });

    // The app learns who the anonymous shopper is: the two profiles merge.
    clock.advance(HOUR);
    const mergeTime = clock.now().toISOString();
    await send('/v1/identify', { userId: 'mia', anonymousId: 'mia-anon', messageId: 'mia-4' });
    const merged = await insightsOf('anonymous_id:mia-anon');
    expect(merged.profileId).toBe(survivorId);
    // gold: the merged-away profile's earlier entry; buyers: carried from it; newsletter-buyers: new now; non-buyers: left.
    expect(enteredAt(merged)).toEqual({ gold: mergedAwayEntry, buyers: mergedAwayEntry, 'newsletter-buyers': mergeTime });

    // The membership rows: the survivor's stays carry the earliest entry; the merged-away profile's ended at the merge.
    const stays = await cdp.query<{ profile_id: string; segment_id: string; entered_at: Date; exited_at: Date | null }>(
      'SELECT profile_id, segment_id, entered_at, exited_at FROM segment_memberships WHERE profile_id = ANY($1::uuid[]) ORDER BY profile_id, segment_id, entered_at',
      [[survivorId, mergedAway.profileId]],
    );
    const stay = (profileId: string, key: string): { entered: string; exited: string | null }[] =>
      stays.filter((row) => row.profile_id === profileId && row.segment_id === segmentIds.get(key)).map((row) => ({ entered: row.entered_at.toISOString(), exited: row.exited_at?.toISOString() ?? null }));
    expect(stay(survivorId, 'gold')).toEqual([{ entered: mergedAwayEntry, exited: null }]);
    expect(stay(survivorId, 'buyers')).toEqual([{ entered: mergedAwayEntry, exited: null }]);
    expect(stay(survivorId, 'newsletter-buyers')).toEqual([{ entered: mergeTime, exited: null }]);
    expect(stay(survivorId, 'non-buyers')).toEqual([{ entered: start, exited: mergeTime }]);
    expect(stay(mergedAway.profileId, 'gold')).toEqual([{ entered: mergedAwayEntry, exited: mergeTime }]);
    expect(stay(mergedAway.profileId, 'buyers')).toEqual([{ entered: mergedAwayEntry, exited: mergeTime }]);
    expect(merged.segmentHistory).toContainEqual({ segmentId: segmentIds.get('gold'), enteredAt: mergedAwayEntry, exitedAt: null });

    // The segment's member list answers the same entry time, and only the survivor.
    const members = await cdp.admin('GET', '/v1/segments/gold/members');
    expect((members.body as { data: unknown[] }).data).toEqual([{ profileId: survivorId, enteredAt: mergedAwayEntry }]);

    // Published: the survivor's snapshot carries the earlier entry ...
    const insightsTopic = await cdp.readTopic(TOPICS.cdpProfileInsights.name);
    const published = await eventually(
      async () => insightsTopic.map((message) => message.value as InsightsMessage | null).find((value) => value?.profileId === survivorId && value.version === merged.version),
      "the survivor's snapshot after the merge",
    );
    expect(Object.fromEntries(published.segments.map((segment) => [segment.key, segment.enteredAt]))).toEqual(enteredAt(merged));

    // ... and the membership changes at the merge are the new segment and the exit only: the customer did not newly enter gold or buyers.
    const membershipTopic = await cdp.readTopic(TOPICS.cdpSegmentMembership.name);
    const survivorChanges = (): MembershipMessage[] => membershipTopic.map((message) => message.value as MembershipMessage).filter((change) => change.profileId === survivorId);
    // Published in order: once the exit is there, every change of the merge's transaction is.
    await eventually(async () => survivorChanges().some((change) => change.profileVersion === merged.version && change.change === 'exited') || undefined, 'the membership changes of the merge');
    expect(survivorChanges().filter((change) => change.profileVersion === merged.version).map(({ segmentKey, change, occurredAt }) => ({ segmentKey, change, occurredAt }))).toEqual([
      { segmentKey: 'newsletter-buyers', change: 'entered', occurredAt: mergeTime },
      { segmentKey: 'non-buyers', change: 'exited', occurredAt: mergeTime },
    ]);
    const entries = survivorChanges().filter((change) => change.change === 'entered');
    expect(entries.map(({ segmentKey, occurredAt }) => ({ segmentKey, occurredAt }))).toEqual([
      { segmentKey: 'non-buyers', occurredAt: start },
      { segmentKey: 'gold', occurredAt: survivorGoldEntry },
      { segmentKey: 'newsletter-buyers', occurredAt: mergeTime },
    ]);
  });
});
