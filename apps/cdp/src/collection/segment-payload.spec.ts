import { describe, expect, it } from '@jest/globals';
import { parseBatchCall, parseSingleCall } from './segment-payload.js';

const context = { sourceId: '9b2f7c1e-3d4a-4b5c-8d6e-7f8a9b0c1d2e', receivedAt: new Date('2026-11-23T12:00:00.000Z') };

describe('Segment payload parsing', () => {
  it('turns a track call into a raw event with source, receivedAt and Segment field names', () => {
    const { accepted, rejected } = parseSingleCall('track', { userId: 'u1', event: 'Order Completed', properties: { revenue: 42 }, messageId: 'm1', timestamp: '2026-11-23T11:00:00Z', _metadata: { x: 1 } }, context);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([
      expect.objectContaining({ schemaVersion: 1, type: 'track', messageId: 'm1', userId: 'u1', event: 'Order Completed', properties: { revenue: 42 }, sourceId: context.sourceId, timestamp: '2026-11-23T11:00:00.000Z', receivedAt: '2026-11-23T12:00:00.000Z' }),
    ]);
    expect(accepted[0]).not.toHaveProperty('_metadata');
  });

  it('gives an event without messageId one of its own', () => {
    const { accepted } = parseSingleCall('identify', { anonymousId: 'a1', traits: { email: 'j@x.io' } }, context);
    expect(accepted[0]?.messageId).toMatch(/^cdp-[0-9a-f-]{36}$/);
  });

  it.each([
    ['track', { userId: 'u1' }, 'event: event is required for track calls and must be a string'],
    ['identify', { traits: {} }, 'userId: userId or anonymousId is required (alias requires userId)'],
    ['alias', { userId: 'u1' }, 'previousId: previousId is required for alias calls'],
    ['group', { userId: 'u1' }, 'groupId: groupId is required for group calls'],
    ['page', { userId: 'u1', properties: 'home' }, 'properties: properties must be an object'],
    ['track', { userId: 'u1', event: 'X', timestamp: 'last tuesday' }, 'timestamp: must be an ISO 8601 date-time'],
  ] as const)('rejects a %s call %j saying %j', (type, body, error) => {
    const { accepted, rejected } = parseSingleCall(type, body, context);
    expect(accepted).toEqual([]);
    expect(rejected[0]?.errors).toContain(error);
  });

  it('accepts numeric user ids as strings, as Segment does', () => {
    expect(parseSingleCall('identify', { userId: 42 }, context).accepted[0]?.userId).toBe('42');
  });

  it('refuses an event over 32 KB naming the limit', () => {
    const { rejected } = parseSingleCall('track', { userId: 'u1', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } }, context);
    expect(rejected[0]?.errors).toEqual(['event: is 34 KB; the limit is 32 KB per event']);
  });

  it('still measures each event when the body is big enough to carry an oversized one', () => {
    const big = { type: 'track', userId: 'u1', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } };
    const measured = parseBatchCall({ batch: [big, { type: 'track', userId: 'u1', event: 'Small' }] }, { ...context, bodyBytes: 34 * 1024 });
    expect(measured).toMatchObject({ accepted: [{ event: 'Small' }], rejected: [{ index: 0, errors: ['event: is 34 KB; the limit is 32 KB per event'] }] });
  });

  it('keeps the valid events of a batch and reports each invalid one by index', () => {
    const parsed = parseBatchCall(
      {
        batch: [
          { type: 'track', userId: 'u1', event: 'A' },
          { type: 'launch', userId: 'u1' },
          { type: 'identify', anonymousId: 'a1', traits: { plan: 'gold' } },
          'not an event',
        ],
        context: { library: { name: 'analytics-node' } },
        sentAt: '2026-11-23T12:00:00.000Z',
      },
      context,
    );
    expect('error' in parsed).toBe(false);
    if ('error' in parsed) return;
    expect(parsed.accepted.map((event) => event.type)).toEqual(['track', 'identify']);
    expect(parsed.accepted[0]?.context).toEqual({ library: { name: 'analytics-node' } });
    expect(parsed.rejected).toEqual([
      { index: 1, errors: ['type: must be one of track, identify, page, screen, group, alias'] },
      { index: 3, errors: ['event: must be a JSON object'] },
    ]);
  });

  it.each([
    [[], 'body: must be a JSON object with a "batch" array'],
    [{ batch: 'x' }, 'batch: must be an array of events'],
    [{ batch: [] }, 'batch: must contain at least one event'],
  ])('refuses a malformed batch %j', (body, error) => {
    expect(parseBatchCall(body, context)).toEqual({ error });
  });
});
