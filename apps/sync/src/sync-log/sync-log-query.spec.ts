import { describe, expect, it } from '@jest/globals';
import { encodeSyncLogCursor, parseSyncLogQuery, SyncLogQueryError } from './sync-log-query.js';

function problemWith(raw: Record<string, unknown>): string {
  try {
    parseSyncLogQuery(raw);
  } catch (error) {
    if (error instanceof SyncLogQueryError) return error.parameter;
    throw error;
  }
  return 'none';
}

describe('parseSyncLogQuery', () => {
  it('defaults to the newest 50 rows of every kind', () => {
    expect(parseSyncLogQuery({})).toEqual({ profileId: null, contactId: null, kind: null, since: null, limit: 50, beforeId: null });
  });

  it('reads every filter, lower-cases the contact id and turns the cursor back into an id', () => {
    const query = parseSyncLogQuery({ profileId: 'p-1', contactId: 'ABC', kind: 'dead_lettered', since: '2026-11-23T10:00:00Z', limit: '500', cursor: encodeSyncLogCursor('42') });
    expect(query).toEqual({ profileId: 'p-1', contactId: 'abc', kind: 'dead_lettered', since: new Date('2026-11-23T10:00:00Z'), limit: 500, beforeId: '42' });
  });

  it('names the parameter that is wrong', () => {
    expect(problemWith({ kind: 'exploded' })).toBe('kind');
    expect(problemWith({ since: 'yesterday' })).toBe('since');
    expect(problemWith({ since: '2026-13-45' })).toBe('since');
    expect(problemWith({ limit: '0' })).toBe('limit');
    expect(problemWith({ limit: '501' })).toBe('limit');
    expect(problemWith({ limit: '1.5' })).toBe('limit');
    expect(problemWith({ cursor: 'not-a-cursor' })).toBe('cursor');
    expect(problemWith({ cursor: Buffer.from('sync-log:-1').toString('base64url') })).toBe('cursor');
    expect(problemWith({ profileId: ['a', 'b'] })).toBe('profileId');
    expect(problemWith({ profileId: '' })).toBe('profileId');
    expect(problemWith({ contact: 'x' })).toBe('contact');
  });
});
