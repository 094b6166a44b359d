import { describe, expect, it } from '@jest/globals';
import type { SnapshotSegment } from '../insights/insight-snapshot.js';
import { carryOverMemberships, type SurvivorEvaluation } from './merge-carry-over.js';

const mergeTime = '2026-11-23T12:00:00.000Z';
const early = '2026-11-01T08:00:00.000Z';
const middle = '2026-11-10T08:00:00.000Z';
const late = '2026-11-20T08:00:00.000Z';

const member = (segmentId: string, enteredAt: string): SnapshotSegment => ({ segmentId, key: `key-${segmentId}`, name: `Segment ${segmentId}`, enteredAt });
const ids = (segments: readonly { id: string }[]): string[] => segments.map((segment) => segment.id);

/** The survivor evaluated on its own: `kept` it was in already (with its own entry), `entered` new to it, `exited` it left. */
function survivor(kept: Record<string, string>, entered: readonly string[], exited: readonly string[] = []): SurvivorEvaluation<{ id: string }> {
  return {
    entered: entered.map((id) => ({ id })),
    exited: exited.map((id) => ({ id })),
    members: [...Object.entries(kept).map(([id, at]) => member(id, at)), ...entered.map((id) => member(id, mergeTime))],
  };
}

describe('carryOverMemberships', () => {
  it('gives a segment both held the earlier entry of the merged-away profile, as no new entry', () => {
    const result = carryOverMemberships(survivor({ gold: late }, []), [{ segmentId: 'gold', enteredAt: early }]);
    expect(result.members).toEqual([member('gold', early)]);
    expect(result.entered).toEqual([]);
    expect(result.carried).toEqual([{ segmentId: 'gold', enteredAt: early }]);
  });

  it("keeps the survivor's own entry when it is the earlier one, and writes nothing", () => {
    const result = carryOverMemberships(survivor({ gold: early }, []), [{ segmentId: 'gold', enteredAt: late }]);
    expect(result.members).toEqual([member('gold', early)]);
    expect(result.carried).toEqual([]);
  });

  it('carries a segment only a merged-away profile held, at its entry, instead of entering it now', () => {
    const result = carryOverMemberships(survivor({}, ['buyer']), [{ segmentId: 'buyer', enteredAt: middle }]);
    expect(result.entered).toEqual([]);
    expect(result.members).toEqual([member('buyer', middle)]);
    expect(result.carried).toEqual([{ segmentId: 'buyer', enteredAt: middle }]);
  });

  it('takes the earliest of several merged-away profiles', () => {
    const result = carryOverMemberships(survivor({ gold: late }, []), [
      { segmentId: 'gold', enteredAt: middle },
      { segmentId: 'gold', enteredAt: early },
    ]);
    expect(result.members).toEqual([member('gold', early)]);
  });

  it('enters now a segment none of them held, and leaves exits to the survivor alone', () => {
    const result = carryOverMemberships(survivor({}, ['fresh'], ['gone']), [
      { segmentId: 'lapsed', enteredAt: early },
      { segmentId: 'gone', enteredAt: early },
    ]);
    expect(ids(result.entered)).toEqual(['fresh']);
    expect(result.members).toEqual([member('fresh', mergeTime)]);
    // Segments the survivor does not qualify for are not carried: the merged-away stays end with the merge.
    expect(ids(result.exited)).toEqual(['gone']);
    expect(result.carried).toEqual([]);
  });

  it('changes nothing when the merged-away profiles held no segment', () => {
    const evaluation = survivor({ gold: middle }, ['fresh'], ['gone']);
    expect(carryOverMemberships(evaluation, [])).toEqual({ ...evaluation, carried: [] });
  });
});
