import { describe, expect, it } from '@jest/globals';
import type { RfmScoreValue } from './rfm.js';
import { RFM_SEGMENTS, rfmSegment } from './rfm-segments.js';

const scoreValues: RfmScoreValue[] = [1, 2, 3, 4, 5];

describe('RFM segment labels', () => {
  it.each([
    [5, 5, 5, 'Champions'],
    [5, 4, 5, 'Champions'],
    [4, 5, 4, 'Loyal Customers'],
    [3, 4, 4, 'Loyal Customers'],
    [5, 3, 2, 'Potential Loyalists'],
    [4, 2, 2, 'Potential Loyalists'],
    [5, 1, 1, 'New Customers'],
    [4, 1, 1, 'Promising'],
    [3, 3, 3, 'Need Attention'],
    [3, 2, 1, 'About to Sleep'],
    [2, 4, 3, 'At Risk'],
    [1, 3, 3, 'At Risk'],
    [1, 5, 5, "Can't Lose Them"],
    [2, 5, 4, "Can't Lose Them"],
    [2, 2, 1, 'Hibernating'],
    [1, 1, 1, 'Hibernating'],
  ] as const)('R %i F %i M %i is %s', (recency, frequency, monetary, segment) => {
    expect(rfmSegment({ recency, frequency, monetary })).toBe(segment);
  });

  it('combines F and M as their mean rounded up, so spend can lift a customer', () => {
    expect(rfmSegment({ recency: 5, frequency: 3, monetary: 4 })).toBe('Champions');
    expect(rfmSegment({ recency: 5, frequency: 3, monetary: 3 })).toBe('Potential Loyalists');
  });

  it('labels all 125 score combinations, using every segment', () => {
    const used = new Set<string>();
    for (const recency of scoreValues) {
      for (const frequency of scoreValues) {
        for (const monetary of scoreValues) used.add(rfmSegment({ recency, frequency, monetary }));
      }
    }
    expect([...used].sort()).toEqual([...RFM_SEGMENTS].sort());
  });

  it('throws for scores outside 1–5', () => {
    expect(() => rfmSegment({ recency: 0 as RfmScoreValue, frequency: 3, monetary: 3 })).toThrow(/recency score/);
    expect(() => rfmSegment({ recency: 3, frequency: 6 as RfmScoreValue, monetary: 3 })).toThrow(/frequency score/);
    expect(() => rfmSegment({ recency: 3, frequency: 3, monetary: 2.5 as RfmScoreValue })).toThrow(/monetary score/);
  });
});
