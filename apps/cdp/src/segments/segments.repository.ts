import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RuleCondition } from './rules/index.js';

export interface SegmentRow {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly rule: RuleCondition;
  readonly revision: number;
  readonly backfill: {
    readonly status: 'pending' | 'running' | 'done';
    readonly processed: number;
    readonly total: number | null;
    readonly startedAt: Date | null;
    readonly finishedAt: Date | null;
  };
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface MembershipWrite {
  readonly profileId: string;
  readonly segmentId: string;
}

/** A merge survivor's stay that starts when a profile merged into it entered (see carryOverMemberships). */
export interface CarriedMembershipWrite extends MembershipWrite {
  readonly enteredAt: string;
}

export interface ScheduleWrite {
  readonly profileId: string;
  readonly dueAt: Date;
  readonly keepEarlier: boolean;
}

export interface EvaluationWrites {
  readonly entries: readonly MembershipWrite[];
  readonly exits: readonly MembershipWrite[];
  readonly carried: readonly CarriedMembershipWrite[];
  readonly due: readonly ScheduleWrite[];
  readonly undue: readonly string[];
}

interface RawSegmentRow {
  id: string;
  key: string;
  name: string;
  description: string;
  rule: RuleCondition;
  revision: number;
  backfill_status: SegmentRow['backfill']['status'];
  backfill_processed: string;
  backfill_total: string | null;
  backfill_started_at: Date | null;
  backfill_finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, key, name, description, rule, revision, backfill_status, backfill_processed, backfill_total, backfill_started_at, backfill_finished_at, created_at, updated_at';

/** Persistence of segment definitions, memberships (with their history) and re-evaluation times. */
@Injectable()
export class SegmentsRepository {
  async listLive(manager: EntityManager): Promise<SegmentRow[]> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM segments WHERE deleted_at IS NULL ORDER BY key`)) as RawSegmentRow[];
    return rows.map(toSegment);
  }

  async findLive(manager: EntityManager, idOrKey: string): Promise<SegmentRow | null> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrKey);
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM segments WHERE deleted_at IS NULL AND ${byId ? 'id = $1::uuid' : 'key = $1'}`, [idOrKey])) as RawSegmentRow[];
    return rows[0] ? toSegment(rows[0]) : null;
  }

  async create(manager: EntityManager, segment: { key: string; name: string; description: string; rule: RuleCondition }): Promise<SegmentRow> {
    const rows = (await manager.query(`INSERT INTO segments (key, name, description, rule) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`, [
      segment.key,
      segment.name,
      segment.description,
      JSON.stringify(segment.rule),
    ])) as RawSegmentRow[];
    return toSegment(rows[0] as RawSegmentRow);
  }

  /** A changed rule starts a new revision, which the back-fill applies to every profile again. */
  async update(manager: EntityManager, id: string, patch: { name: string; description: string; rule: RuleCondition; ruleChanged: boolean }): Promise<SegmentRow> {
    const rows = (await manager.query(
      `UPDATE segments SET name = $2, description = $3, rule = $4, updated_at = now(),
              revision = revision + CASE WHEN $5 THEN 1 ELSE 0 END,
              backfill_status = CASE WHEN $5 THEN 'pending' ELSE backfill_status END,
              backfill_processed = CASE WHEN $5 THEN 0 ELSE backfill_processed END
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, patch.name, patch.description, JSON.stringify(patch.rule), patch.ruleChanged],
    )) as [RawSegmentRow[], number];
    return toSegment(rows[0][0] as RawSegmentRow);
  }

  async softDelete(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE segments SET deleted_at = now(), updated_at = now() WHERE id = $1', [id]);
  }

  /**
   * Records what evaluations found, for many profiles in one statement: stays
   * opened (one already open is kept) and closed, and when each profile is next
   * due (`keepEarlier`: an evaluation of some segments only keeps an earlier time
   * already set) or that it is not due any more. A merge's carried stays take a
   * second statement.
   */
  async recordEvaluations(manager: EntityManager, evaluations: EvaluationWrites, at: Date): Promise<void> {
    const { entries, exits, carried, due, undue } = evaluations;
    await this.recordCarried(manager, carried);
    if (entries.length + exits.length + due.length + undue.length === 0) return;
    await manager.query(
      `WITH exited AS (
         UPDATE segment_memberships m SET exited_at = $5 FROM unnest($3::uuid[], $4::uuid[]) AS t(segment_id, profile_id)
          WHERE m.segment_id = t.segment_id AND m.profile_id = t.profile_id AND m.exited_at IS NULL RETURNING 1),
       unscheduled AS (DELETE FROM segment_reevaluations WHERE profile_id = ANY($9::uuid[]) RETURNING 1),
       scheduled AS (
         INSERT INTO segment_reevaluations (profile_id, due_at)
         SELECT t.profile_id, CASE WHEN t.keep_earlier THEN least(t.due_at, (SELECT r.due_at FROM segment_reevaluations r WHERE r.profile_id = t.profile_id)) ELSE t.due_at END
           FROM unnest($6::uuid[], $7::timestamptz[], $8::boolean[]) AS t(profile_id, due_at, keep_earlier)
         ON CONFLICT (profile_id) DO UPDATE SET due_at = excluded.due_at RETURNING 1)
       INSERT INTO segment_memberships (segment_id, profile_id, entered_at) SELECT segment_id, profile_id, $5 FROM unnest($1::uuid[], $2::uuid[]) AS t(segment_id, profile_id)
       ON CONFLICT (segment_id, profile_id) WHERE exited_at IS NULL DO NOTHING`,
      [
        entries.map((entry) => entry.segmentId),
        entries.map((entry) => entry.profileId),
        exits.map((exit) => exit.segmentId),
        exits.map((exit) => exit.profileId),
        at,
        due.map((item) => item.profileId),
        due.map((item) => item.dueAt),
        due.map((item) => item.keepEarlier),
        undue,
      ],
    );
  }

  /** Opens a merge survivor's carried stays at their entry time, or moves its open stay back to it. */
  private async recordCarried(manager: EntityManager, carried: readonly CarriedMembershipWrite[]): Promise<void> {
    if (carried.length === 0) return;
    await manager.query(
      `INSERT INTO segment_memberships (segment_id, profile_id, entered_at)
       SELECT segment_id, profile_id, entered_at FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS t(segment_id, profile_id, entered_at)
       ON CONFLICT (segment_id, profile_id) WHERE exited_at IS NULL DO UPDATE SET entered_at = least(segment_memberships.entered_at, excluded.entered_at)`,
      [carried.map((stay) => stay.segmentId), carried.map((stay) => stay.profileId), carried.map((stay) => stay.enteredAt)],
    );
  }

  /** Closes every open membership of the profiles (merged away) and returns the stays it closed. */
  async exitAll(manager: EntityManager, profileIds: readonly string[], at: Date): Promise<{ segmentId: string; enteredAt: string }[]> {
    const closed = (await manager.query('UPDATE segment_memberships SET exited_at = $2 WHERE profile_id = ANY($1::uuid[]) AND exited_at IS NULL RETURNING segment_id, entered_at', [
      profileIds,
      at,
    ])) as [{ segment_id: string; entered_at: Date }[], number];
    await manager.query('DELETE FROM segment_reevaluations WHERE profile_id = ANY($1::uuid[])', [profileIds]);
    return closed[0].map((row) => ({ segmentId: row.segment_id, enteredAt: row.entered_at.toISOString() }));
  }

  /** Profiles whose re-evaluation is due, claimed so that two instances never take the same one. */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows = (await manager.query(
      `DELETE FROM segment_reevaluations WHERE profile_id IN (
         SELECT profile_id FROM segment_reevaluations WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING profile_id`,
      [now, limit],
    )) as [{ profile_id: string }[], number];
    return rows[0].map((row) => row.profile_id);
  }

  /** Members, oldest entry first, keyset-paginated on (entered_at, profile_id). */
  async members(manager: EntityManager, segmentId: string, limit: number, after: { enteredAt: string; profileId: string } | null): Promise<{ profileId: string; enteredAt: Date }[]> {
    const rows = (await manager.query(
      `SELECT profile_id, entered_at FROM segment_memberships
        WHERE segment_id = $1 AND exited_at IS NULL
          AND ($2::timestamptz IS NULL OR (entered_at, profile_id) > ($2::timestamptz, $3::uuid))
        ORDER BY entered_at, profile_id LIMIT $4`,
      [segmentId, after?.enteredAt ?? null, after?.profileId ?? null, limit],
    )) as { profile_id: string; entered_at: Date }[];
    return rows.map((row) => ({ profileId: row.profile_id, enteredAt: row.entered_at }));
  }

  /** Which of the profiles are current members of the segment. */
  async membersAmong(manager: EntityManager, segmentId: string, profileIds: readonly string[]): Promise<string[]> {
    const rows = (await manager.query('SELECT profile_id FROM segment_memberships WHERE segment_id = $1 AND profile_id = ANY($2::uuid[]) AND exited_at IS NULL', [segmentId, profileIds])) as {
      profile_id: string;
    }[];
    return rows.map((row) => row.profile_id);
  }

  async memberCount(manager: EntityManager, segmentId: string): Promise<number> {
    const rows = (await manager.query('SELECT count(*)::bigint AS count FROM segment_memberships WHERE segment_id = $1 AND exited_at IS NULL', [segmentId])) as { count: string }[];
    return Number(rows[0]?.count ?? 0);
  }

  /** A profile's stays in segments, newest first. */
  async historyOf(manager: EntityManager, profileId: string): Promise<{ segmentId: string; enteredAt: Date; exitedAt: Date | null }[]> {
    const rows = (await manager.query('SELECT segment_id, entered_at, exited_at FROM segment_memberships WHERE profile_id = $1 ORDER BY entered_at DESC, id DESC LIMIT 500', [
      profileId,
    ])) as { segment_id: string; entered_at: Date; exited_at: Date | null }[];
    return rows.map((row) => ({ segmentId: row.segment_id, enteredAt: row.entered_at, exitedAt: row.exited_at }));
  }

  /**
   * Claims the next segment whose back-fill is pending, or whose runner stopped
   * sending heartbeats (a crashed instance), so that exactly one instance runs it.
   */
  async claimBackfill(manager: EntityManager, staleAfterMs: number): Promise<SegmentRow | null> {
    const rows = (await manager.query(
      `UPDATE segments SET backfill_status = 'running', backfill_processed = 0, backfill_total = NULL,
              backfill_started_at = now(), backfill_finished_at = NULL, backfill_heartbeat_at = now()
        WHERE id = (SELECT id FROM segments
                     WHERE deleted_at IS NULL AND (backfill_status = 'pending'
                        OR (backfill_status = 'running' AND backfill_heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)))
                     ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [staleAfterMs],
    )) as [RawSegmentRow[], number];
    return rows[0][0] ? toSegment(rows[0][0]) : null;
  }

  /** Records progress of the claimed back-fill; false when the segment changed or went meanwhile (the run must stop). */
  async setBackfill(manager: EntityManager, id: string, revision: number, progress: { status?: 'pending' | 'done'; processed?: number; total?: number }): Promise<boolean> {
    const result = (await manager.query(
      `UPDATE segments SET backfill_status = coalesce($3, backfill_status), backfill_processed = coalesce($4, backfill_processed),
              backfill_total = coalesce($5, backfill_total), backfill_heartbeat_at = now(),
              backfill_finished_at = CASE WHEN $3 = 'done' THEN now() ELSE backfill_finished_at END
        WHERE id = $1 AND revision = $2 AND deleted_at IS NULL AND backfill_status = 'running'`,
      [id, revision, progress.status ?? null, progress.processed ?? null, progress.total ?? null],
    )) as [unknown[], number];
    return result[1] === 1;
  }

  async countLiveProfiles(manager: EntityManager): Promise<number> {
    const rows = (await manager.query('SELECT count(*)::bigint AS count FROM profiles WHERE merged_into IS NULL')) as { count: string }[];
    return Number(rows[0]?.count ?? 0);
  }
}

function toSegment(row: RawSegmentRow): SegmentRow {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    rule: row.rule,
    revision: row.revision,
    backfill: {
      status: row.backfill_status,
      processed: Number(row.backfill_processed),
      total: row.backfill_total === null ? null : Number(row.backfill_total),
      startedAt: row.backfill_started_at,
      finishedAt: row.backfill_finished_at,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
