import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CdpHarness, eventually } from './cdp-harness.js';

const HOUR = 3_600_000;

interface InsightsBody {
  snapshot: { segments: { key: string }[] } | null;
  segmentHistory: { enteredAt: string; exitedAt: string | null }[];
}

describe('the CDP on a controllable clock (CDP_CLOCK=controllable)', () => {
  let cdp: CdpHarness;
  let system: CdpHarness;
  let posKey: string;

  beforeAll(async () => {
    [cdp, system] = await Promise.all([CdpHarness.start('cdp-clock', { env: { CDP_CLOCK: 'controllable' } }), CdpHarness.start('cdp-clock-system')]);
    posKey = await cdp.createSource('store-pos', 'pos');
    const segment = await cdp.admin('POST', '/v1/segments', { key: 'recent-purchasers', name: 'Recent purchasers', rule: { event: 'Order Completed', within: '72h' } });
    expect(segment.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([cdp?.stop(), system?.stop()]);
  });

  const clockNow = async (): Promise<number> => Date.parse(((await cdp.admin('GET', '/v1/admin/clock')).body as { now: string }).now);
  const segmentsOf = async (reference: string): Promise<string[]> => {
    const { body } = await cdp.admin('GET', `/v1/profiles/${encodeURIComponent(reference)}/insights`);
    return ((body as InsightsBody).snapshot?.segments ?? []).map((segment) => segment.key);
  };

  it('moves time forward and publishes a window exit in the same call, with no new event', async () => {
    const before = await clockNow();
    expect(Math.abs(before - Date.now())).toBeLessThan(60_000);
    const moved = await cdp.admin('POST', '/v1/admin/clock', { advanceBy: '2d' });
    expect(moved.status).toBe(200);
    expect(Date.parse((moved.body as { now: string }).now) - before).toBeGreaterThanOrEqual(48 * HOUR);

    // Sent without a timestamp: the order happens at the CDP's (moved) time, so it is recent.
    expect((await cdp.send('/v1/track', posKey, { userId: 'clock-1', event: 'Order Completed', properties: { order_id: 'o-1', revenue: 20 } })).status).toBe(200);
    await eventually(async () => (await segmentsOf('user_id:clock-1')).includes('recent-purchasers'), 'the buyer to enter recent-purchasers');
    const stored = await cdp.query<{ timestamp: Date }>("SELECT timestamp FROM events WHERE user_id = 'clock-1'");
    expect(stored[0]?.timestamp.getTime()).toBeGreaterThanOrEqual(before + 48 * HOUR);

    const passed = await cdp.admin('POST', '/v1/admin/clock', { advanceBy: 73 * HOUR });
    expect((passed.body as { reevaluated: number }).reevaluated).toBeGreaterThanOrEqual(1);
    // No polling: the call answers after the re-evaluation.
    expect(await segmentsOf('user_id:clock-1')).not.toContain('recent-purchasers');
    const { body } = await cdp.admin('GET', '/v1/profiles/user_id:clock-1/insights');
    expect((body as InsightsBody).segmentHistory).toEqual([expect.objectContaining({ exitedAt: expect.any(String) })]);
  });

  it('jumps to a given time, never backwards, and says what is wrong with a bad move', async () => {
    const target = new Date((await clockNow()) + 24 * HOUR).toISOString();
    expect(await cdp.admin('POST', '/v1/admin/clock', { to: target })).toMatchObject({ status: 200, body: { now: target } });
    const backwards = await cdp.admin('POST', '/v1/admin/clock', { to: new Date(Date.parse(target) - HOUR).toISOString() });
    expect(backwards).toMatchObject({ status: 400, body: { message: expect.stringMatching(/never goes backwards/) } });
    expect(await cdp.admin('POST', '/v1/admin/clock', { advanceBy: 'soon' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^advanceBy: must be a duration/) } });
    expect(await cdp.admin('POST', '/v1/admin/clock', {})).toMatchObject({ status: 400, body: { message: expect.stringMatching(/exactly one of advanceBy or to/) } });
    expect(await clockNow()).toBeGreaterThanOrEqual(Date.parse(target));
  });

  it('keeps the clock routes behind the admin token', async () => {
    expect((await fetch(`${cdp.url}/v1/admin/clock`)).status).toBe(401);
    expect((await fetch(`${cdp.url}/v1/admin/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceBy":"1h"}' })).status).toBe(401);
  });

  it('has no clock routes on the system clock', async () => {
    expect((await system.admin('GET', '/v1/admin/clock')).status).toBe(404);
    expect((await system.admin('POST', '/v1/admin/clock', { advanceBy: '1h' })).status).toBe(404);
  });
});
