import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './page-cursor.js';

describe('page cursors', () => {
  it('round-trip the sort key and id', () => {
    const position = { key: '2026-03-01 10:00:00.123456+00', id: '0b5f4c3e-2d1a-4b7c-9e8f-123456789abc' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('are null for anything the API did not hand out', () => {
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify({ key: 1, id: 'x' })).toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify({ key: '1', id: "x'; DROP TABLE deals" })).toString('base64url'))).toBeNull();
  });
});
