import type { SnapshotSegment } from '../insights/insight-snapshot.js';

/** A stay in a segment that a profile had open when it was merged away. */
export interface HeldMembership {
  readonly segmentId: string;
  readonly enteredAt: string;
}

/** What evaluating the survivor on its own found (see evaluateMemberships). */
export interface SurvivorEvaluation<S extends { readonly id: string }> {
  readonly entered: readonly S[];
  readonly exited: readonly S[];
  readonly members: readonly SnapshotSegment[];
}

export interface CarriedEvaluation<S extends { readonly id: string }> extends SurvivorEvaluation<S> {
  /** The survivor's stays that start when a merged-away profile entered: each opened, or moved back, to that time. */
  readonly carried: readonly HeldMembership[];
}

/**
 * The survivor's memberships after a merge, given the stays the profiles merged
 * into it had open: the customer entered a segment when the first of the profiles
 * did. A segment the survivor is still in keeps the earliest entry among them all
 * and is no new entry; a segment none of them was in is entered now; exits are
 * the survivor's own (the merged-away profiles' stays end with their retirement).
 */
export function carryOverMemberships<S extends { readonly id: string }>(evaluation: SurvivorEvaluation<S>, heldByMerged: readonly HeldMembership[]): CarriedEvaluation<S> {
  const earliestMerged = new Map<string, number>();
  for (const held of heldByMerged) {
    const at = Date.parse(held.enteredAt);
    earliestMerged.set(held.segmentId, Math.min(at, earliestMerged.get(held.segmentId) ?? at));
  }
  const enteredNow = new Set(evaluation.entered.map((segment) => segment.id));
  const carried: HeldMembership[] = [];
  const members = evaluation.members.map((member) => {
    const mergedAt = earliestMerged.get(member.segmentId);
    if (mergedAt === undefined) return member;
    const survivorAt = Date.parse(member.enteredAt);
    if (!enteredNow.has(member.segmentId) && survivorAt <= mergedAt) return member;
    const enteredAt = new Date(Math.min(mergedAt, survivorAt)).toISOString();
    carried.push({ segmentId: member.segmentId, enteredAt });
    return { ...member, enteredAt };
  });
  return { entered: evaluation.entered.filter((segment) => !earliestMerged.has(segment.id)), exited: evaluation.exited, members, carried };
}
