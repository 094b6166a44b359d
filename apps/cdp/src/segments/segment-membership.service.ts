import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SnapshotSegment } from '../insights/insight-snapshot.js';
import { evaluateSegmentRule, type SegmentEvent, type SegmentSubject } from './rules/index.js';
import { SegmentCatalog, type ActiveSegment } from './segment-catalog.js';
import { SegmentsRepository } from './segments.repository.js';

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

// "Ever" conditions read at most this many of a profile's most recent matching events.
const MAX_EVENTS_READ = 10_000;

/**
 * Evaluates every live segment for one profile, records entries and exits
 * (with history), and schedules the next time a window passing could change
 * the answer. Runs inside the caller's transaction, with the profile locked.
 */
@Injectable()
export class SegmentMembershipService {
  constructor(
    private readonly catalog: SegmentCatalog,
    private readonly segments: SegmentsRepository,
  ) {}

  async evaluate(manager: EntityManager, profileId: string, subject: Omit<SegmentSubject, 'events'>, now: Date, only?: ReadonlySet<string>): Promise<MembershipOutcome> {
    const active = await this.catalog.active(manager);
    const events = await this.eventsOf(manager, profileId, active.needs.eventNames, active.needs.lookbackMs, now);
    const current = new Map((await this.segments.currentMemberships(manager, profileId)).map((membership) => [membership.segmentId, membership.enteredAt]));
    const full: SegmentSubject = { ...subject, events };

    const entered: ActiveSegment[] = [];
    const exited: ActiveSegment[] = [];
    const members: SnapshotSegment[] = [];
    let reevaluateAt: number | null = null;
    for (const segment of active.segments) {
      const held = current.get(segment.id);
      if (only && !only.has(segment.id)) {
        if (held) members.push({ segmentId: segment.id, key: segment.key, name: segment.name, enteredAt: held.toISOString() });
        continue;
      }
      const result = evaluateSegmentRule(segment.rule, full, now);
      if (result.reevaluateAt !== null) reevaluateAt = Math.min(reevaluateAt ?? Number.POSITIVE_INFINITY, result.reevaluateAt.getTime());
      if (result.member && !held) entered.push(segment);
      if (!result.member && held) exited.push(segment);
      if (result.member) members.push({ segmentId: segment.id, key: segment.key, name: segment.name, enteredAt: (held ?? now).toISOString() });
    }
    await this.segments.enter(manager, profileId, entered.map((segment) => segment.id), now);
    await this.segments.exit(manager, profileId, exited.map((segment) => segment.id), now);
    // A partial evaluation (one segment's back-fill) must not drop or delay the others' schedule.
    await this.segments.scheduleReevaluation(manager, profileId, reevaluateAt === null ? null : new Date(reevaluateAt), only !== undefined);
    return {
      segments: members,
      changes: [...entered.map((segment) => ({ segment, change: 'entered' as const, at: now })), ...exited.map((segment) => ({ segment, change: 'exited' as const, at: now }))],
    };
  }

  /** Profiles merged away: their stays end now; the survivor's memberships are evaluated afresh. */
  async retire(manager: EntityManager, profileIds: readonly string[], now: Date): Promise<void> {
    await this.segments.exitAll(manager, profileIds, now);
  }

  private async eventsOf(manager: EntityManager, profileId: string, names: readonly string[], lookbackMs: number | null, now: Date): Promise<SegmentEvent[]> {
    if (names.length === 0) return [];
    const since = lookbackMs === null ? null : new Date(now.getTime() - lookbackMs);
    const rows = (await manager.query(
      `SELECT event, timestamp, properties FROM events
        WHERE profile_id = $1 AND type = 'track' AND event = ANY($2::text[]) AND ($3::timestamptz IS NULL OR timestamp > $3)
        ORDER BY timestamp DESC LIMIT $4`,
      [profileId, names, since, MAX_EVENTS_READ],
    )) as { event: string; timestamp: Date; properties: Record<string, unknown> | null }[];
    return rows.map((row) => ({ event: row.event, timestamp: row.timestamp, properties: row.properties ?? {} }));
  }
}
