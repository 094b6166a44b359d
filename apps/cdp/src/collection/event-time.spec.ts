import { describe, expect, it } from '@jest/globals';
import { correctEventTime } from './event-time.js';

const receivedAt = new Date('2026-11-23T12:00:10.000Z');

describe('event time correction', () => {
  it('corrects a device clock that runs an hour fast, using sentAt', () => {
    const times = correctEventTime({ timestamp: '2026-11-23T12:59:55.000Z', sentAt: '2026-11-23T13:00:05.000Z', receivedAt });
    expect(times.timestamp).toBe('2026-11-23T12:00:00.000Z');
    expect(times.originalTimestamp).toBe('2026-11-23T12:59:55.000Z');
  });

  it('keeps the client timestamp when there is no sentAt (e.g. a historical import)', () => {
    expect(correctEventTime({ timestamp: '2024-01-01T00:00:00Z', receivedAt }).timestamp).toBe('2024-01-01T00:00:00.000Z');
  });

  it('uses receivedAt when the client sent no timestamp', () => {
    expect(correctEventTime({ receivedAt })).toEqual({ timestamp: '2026-11-23T12:00:10.000Z', originalTimestamp: null, sentAt: null, receivedAt: '2026-11-23T12:00:10.000Z' });
  });
});
