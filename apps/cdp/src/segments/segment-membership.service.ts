import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SnapshotSegment } from '../insights/insight-snapshot.js';
import { carryOverMemberships, type HeldMembership } from './merge-carry-over.js';
import { evaluateSegmentRule, type SegmentEvent, type SegmentSubject } from './rules/index.js';
import { SegmentCatalog, type ActiveSegment } from './segment-catalog.js';
import { SegmentsRepository, type CarriedMembershipWrite, type MembershipWrite, type ScheduleWrite } from './segments.repository.js';

export interface MembershipChange {
  readonly segment: Pick<ActiveSegment, 'id' | 'key' | 'name'>;
  readonly change: 'entered' | 'exited';
  readonly at: Date;
}

export interface MembershipOutcome {
  /** The segments the profile is in after the evaluation. */
  readonly segments: readonly SnapshotSegment[];
  readonly changes: readonly MembershipChange[];
}

/** One profile to evaluate: its state without events, and the segments it is in now (those of its last snapshot). */
export interface MembershipCandidate {
  readonly profileId: string;
  readonly subject: Omit<SegmentSubject, 'events'>;
  readonly current: readonly SnapshotSegment[];
  /** Evaluate these segments only (one segment's back-fill); the others stay as they are. */
  readonly only?: ReadonlySet<string>;
  /** A merge survivor: the stays the profiles merged into it had open (see carryOverMemberships). */
  readonly heldByMerged?: readonly HeldMembership[];
}

export interface MembershipEvaluation {
  readonly entered: readonly ActiveSegment[];
  readonly exited: readonly ActiveSegment[];
  readonly members: readonly SnapshotSegment[];
  /** When a window passing could change the answer with no new event. */
  readonly reevaluateAt: Date | null;
}

// "Ever" conditions read at most this many of a profile's most recent matching events.
const MAX_EVENTS_READ = 10_000;

/**
 * Evaluates every live segment for profiles, records entries and exits (with
 * history), and schedules the next time a window passing could change the
 * answer. Runs inside the caller's transaction, with the profiles locked. The
 * segments a profile is in are those its last snapshot lists: that snapshot is
 * saved in the same transaction as every entry and exit.
 */
@Injectable()
export class SegmentMembershipService {
  constructor(
    private readonly catalog: SegmentCatalog,
    private readonly segments: SegmentsRepository,
  ) {}

  async evaluateMany(manager: EntityManager, candidates: readonly MembershipCandidate[], now: Date): Promise<Map<string, MembershipOutcome>> {
    const outcomes = new Map<string, MembershipOutcome>();
    if (candidates.length === 0) return outcomes;
    const active = await this.catalog.active(manager);
    const events = await this.eventsOf(manager, candidates.map((candidate) => candidate.profileId), active.needs.eventNames, active.needs.lookbackMs, now);
    const writes: { entries: MembershipWrite[]; exits: MembershipWrite[]; carried: CarriedMembershipWrite[]; due: ScheduleWrite[]; undue: string[] } = { entries: [], exits: [], carried: [], due: [], undue: [] };
    for (const candidate of candidates) {
      const own = evaluateMemberships(active.segments, { ...candidate.subject, events: events.get(candidate.profileId) ?? [] }, candidate.current, now, candidate.only);
      const evaluation = candidate.heldByMerged ? { ...own, ...carryOverMemberships(own, candidate.heldByMerged) } : { ...own, carried: [] };
      for (const segment of evaluation.entered) writes.entries.push({ profileId: candidate.profileId, segmentId: segment.id });
      for (const segment of evaluation.exited) writes.exits.push({ profileId: candidate.profileId, segmentId: segment.id });
      for (const held of evaluation.carried) writes.carried.push({ profileId: candidate.profileId, segmentId: held.segmentId, enteredAt: held.enteredAt });
      // A partial evaluation (one segment's back-fill) must not drop or delay the others' schedule.
      if (evaluation.reevaluateAt !== null) writes.due.push({ profileId: candidate.profileId, dueAt: evaluation.reevaluateAt, keepEarlier: candidate.only !== undefined });
      else if (!candidate.only) writes.undue.push(candidate.profileId);
      outcomes.set(candidate.profileId, {
        segments: evaluation.members,
        changes: [...evaluation.entered.map((segment) => ({ segment, change: 'entered' as const, at: now })), ...evaluation.exited.map((segment) => ({ segment, change: 'exited' as const, at: now }))],
      });
    }
    await this.segments.recordEvaluations(manager, writes, now);
    return outcomes;
  }

  /**
   * Profiles merged away: their own stays end now, when they stop being profiles
   * (the rows stay as their history; no exit is published, their snapshots get
   * tombstones). Returns the stays they had open, from which the survivor's
   * memberships keep the earliest entry (evaluateMany's `heldByMerged`).
   */
  async retire(manager: EntityManager, profileIds: readonly string[], now: Date): Promise<HeldMembership[]> {
    return this.segments.exitAll(manager, profileIds, now);
  }

  /** Each profile's events the segments read, in one statement for all of them. */
  private async eventsOf(manager: EntityManager, profileIds: readonly string[], names: readonly string[], lookbackMs: number | null, now: Date): Promise<Map<string, SegmentEvent[]>> {
    const byProfile = new Map<string, SegmentEvent[]>();
    if (names.length === 0) return byProfile;
    const since = lookbackMs === null ? null : new Date(now.getTime() - lookbackMs);
    const rows = (await manager.query(
      `SELECT wanted.id AS profile_id, e.event, e.timestamp, e.properties
         FROM unnest($1::uuid[]) AS wanted(id)
         CROSS JOIN LATERAL (
           SELECT event, timestamp, properties FROM events
            WHERE profile_id = wanted.id AND type = 'track' AND event = ANY($2::text[]) AND ($3::timestamptz IS NULL OR timestamp > $3)
            ORDER BY timestamp DESC LIMIT $4) AS e`,
      [profileIds, names, since, MAX_EVENTS_READ],
    )) as { profile_id: string; event: string; timestamp: Date; properties: Record<string, unknown> | null }[];
    for (const row of rows) {
      const list = byProfile.get(row.profile_id) ?? [];
      list.push({ event: row.event, timestamp: row.timestamp, properties: row.properties ?? {} });
      byProfile.set(row.profile_id, list);
    }
    return byProfile;
  }
}

/** Which live segments the subject enters, leaves and is in, given those it is in now. */
export function evaluateMemberships(
  segments: readonly ActiveSegment[],
  subject: SegmentSubject,
  current: readonly SnapshotSegment[],
  now: Date,
  only?: ReadonlySet<string>,
): MembershipEvaluation {
  const held = new Map(current.map((segment) => [segment.segmentId, segment.enteredAt]));
  const entered: ActiveSegment[] = [];
  const exited: ActiveSegment[] = [];
  const members: SnapshotSegment[] = [];
  let reevaluateAt: number | null = null;
  for (const segment of segments) {
    const enteredAt = held.get(segment.id);
    if (only && !only.has(segment.id)) {
      if (enteredAt) members.push({ segmentId: segment.id, key: segment.key, name: segment.name, enteredAt });
      continue;
    }
    const result = evaluateSegmentRule(segment.rule, subject, now);
    if (result.reevaluateAt !== null) reevaluateAt = Math.min(reevaluateAt ?? Number.POSITIVE_INFINITY, result.reevaluateAt.getTime());
    if (result.member && !enteredAt) entered.push(segment);
    if (!result.member && enteredAt) exited.push(segment);
    if (result.member) members.push({ segmentId: segment.id, key: segment.key, name: segment.name, enteredAt: enteredAt ?? now.toISOString() });
  }
  return { entered, exited, members, reevaluateAt: reevaluateAt === null ? null : new Date(reevaluateAt) };
}
