import { describe, expect, it } from '@jest/globals';
import type { RawRecord } from '../bridge/partition-batch-consumer.js';
import { letterMatches, originalMessage, planReplayCommits } from './replay-plan.js';

const PREFIX = 't.run-1.';

function letter(partition: number, offset: number, headers: Record<string, string> = {}): RawRecord {
  return {
    topic: `${PREFIX}sync.dead-letters.v1`,
    partition,
    offset: String(offset),
    key: `k-${partition}-${offset}`,
    value: '{}',
    headers: {
      'dead-letter-reason': 'CRM refused the batch (422): bad currency',
      'original-topic': `${PREFIX}cdp.profile-insights.v1`,
      'original-partition': '7',
      'original-offset': '1234',
      ...headers,
    },
  };
}

describe('letterMatches', () => {
  it('filters by reason text (any case) and by original topic with or without the prefix', () => {
    const refused = letter(0, 0);
    expect(letterMatches(refused, { reasonContains: null, originalTopic: null }, PREFIX)).toBe(true);
    expect(letterMatches(refused, { reasonContains: 'REFUSED', originalTopic: null }, PREFIX)).toBe(true);
    expect(letterMatches(refused, { reasonContains: 'JSON', originalTopic: null }, PREFIX)).toBe(false);
    expect(letterMatches(refused, { reasonContains: null, originalTopic: 'cdp.profile-insights.v1' }, PREFIX)).toBe(true);
    expect(letterMatches(refused, { reasonContains: null, originalTopic: `${PREFIX}cdp.profile-insights.v1` }, PREFIX)).toBe(true);
    expect(letterMatches(refused, { reasonContains: null, originalTopic: 'cdp.profile-merges.v1' }, PREFIX)).toBe(false);
  });
});

describe('originalMessage', () => {
  it('restores the original coordinates and headers, counting this replay', () => {
    const original = originalMessage(letter(1, 5, { contract: 'cdp.profile-insights@1' }), PREFIX);
    expect(original.topic).toBe('cdp.profile-insights.v1');
    expect(original.replayCount).toBe(1);
    expect(original.record).toEqual({
      topic: `${PREFIX}cdp.profile-insights.v1`,
      partition: 7,
      offset: '1234',
      key: 'k-1-5',
      value: '{}',
      headers: { contract: 'cdp.profile-insights@1', 'replay-count': '1' },
    });
    expect(originalMessage(letter(1, 6, { 'replay-count': '2' }), PREFIX).replayCount).toBe(3);
  });

  it('names no topic for a letter from a topic it cannot replay', () => {
    expect(originalMessage(letter(0, 0, { 'original-topic': `${PREFIX}cdp.raw-events.v1` }), PREFIX).topic).toBeNull();
  });
});

describe('planReplayCommits', () => {
  it('commits past the last handled letter per partition and carries earlier filtered-out letters forward', () => {
    const plan = planReplayCommits([
      { letter: letter(0, 10), handled: false },
      { letter: letter(0, 11), handled: true },
      { letter: letter(0, 12), handled: false },
      { letter: letter(1, 3), handled: true },
      { letter: letter(2, 8), handled: false },
    ]);
    expect(plan.commits).toEqual(
      new Map([
        [0, '12'],
        [1, '4'],
      ]),
    );
    // 0/12 and 2/8 stay where they are, uncommitted; 0/10 would be committed past, so it is copied.
    expect(plan.carryForward.map((record) => `${record.partition}/${record.offset}`)).toEqual(['0/10']);
  });

  it('commits and copies nothing when every letter is filtered out', () => {
    expect(planReplayCommits([{ letter: letter(0, 1), handled: false }])).toEqual({ commits: new Map(), carryForward: [] });
  });
});
