import { describe, expect, it } from '@jest/globals';
import { TOPICS } from '@cds/contracts';
import { coalesceLatestState } from './coalesce-latest-state.js';

const insights = TOPICS.cdpProfileInsights.name;
const memberships = TOPICS.cdpSegmentMembership.name;

describe('coalesceLatestState', () => {
  it('keeps only the newest message per key of a compacted topic, in place', () => {
    const batch = [
      { topic: insights, key: 'p1', value: 'v1' },
      { topic: memberships, key: 'p1', value: 'entered' },
      { topic: insights, key: 'p2', value: 'v1' },
      { topic: insights, key: 'p1', value: 'v2' },
      { topic: memberships, key: 'p1', value: 'exited' },
    ];
    expect(coalesceLatestState(batch).map((message) => `${message.topic === insights ? 'insights' : 'membership'}:${message.key}:${message.value}`)).toEqual([
      'membership:p1:entered',
      'insights:p2:v1',
      'insights:p1:v2',
      'membership:p1:exited',
    ]);
  });

  it('keeps a tombstone that follows a snapshot, since it is the newest state', () => {
    const batch = [
      { topic: insights, key: 'p1', value: 'v3' },
      { topic: insights, key: 'p1', value: null },
    ];
    expect(coalesceLatestState(batch)).toEqual([{ topic: insights, key: 'p1', value: null }]);
  });

  it('leaves every message of a topic that is not compacted', () => {
    const batch = [
      { topic: memberships, key: 'p1', value: 'entered' },
      { topic: memberships, key: 'p1', value: 'exited' },
    ];
    expect(coalesceLatestState(batch)).toEqual(batch);
  });
});
