import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InsightEvent, InsightState } from './insight-accumulator.js';
import type { PublishedInsights } from './insight-snapshot.js';

export interface StoredInsights {
  readonly state: InsightState;
  /** The snapshot last published (without version and time), null before the first. */
  readonly snapshot: PublishedInsights | null;
  readonly version: number;
}

export interface InsightsWrite {
  readonly profileId: string;
  readonly state: InsightState;
  readonly lifetimeValue: number;
  readonly snapshot: PublishedInsights;
  /** null: a fresh version (the snapshot changed). */
  readonly version: number | null;
}

interface RawInsights {
  state: InsightState;
  snapshot: PublishedInsights | null;
  version: string;
}

function toStored(row: RawInsights): StoredInsights {
  return { state: row.state, snapshot: row.snapshot, version: Number(row.version) };
}

/** Persistence of each profile's insight aggregates and its last published snapshot. */
@Injectable()
export class InsightsRepository {
  /** The profiles' insights, row-locked in id order so concurrent events of one person apply one after the other. */
  async lockMany(manager: EntityManager, profileIds: readonly string[]): Promise<Map<string, StoredInsights>> {
    const rows = (await manager.query('SELECT profile_id, state, snapshot, version FROM profile_insights WHERE profile_id = ANY($1::uuid[]) ORDER BY profile_id FOR UPDATE', [
      profileIds,
    ])) as (RawInsights & { profile_id: string })[];
    return new Map(rows.map((row) => [row.profile_id, toStored(row)]));
  }

  async read(manager: EntityManager, profileId: string): Promise<StoredInsights | null> {
    const rows = (await manager.query('SELECT state, snapshot, version FROM profile_insights WHERE profile_id = $1', [profileId])) as RawInsights[];
    return rows[0] ? toStored(rows[0]) : null;
  }

  /**
   * Saves each profile's insights; a row without a version takes a fresh one from
   * the sequence every profile shares, so a survivor's next version is above any a
   * merged-away profile had. Returns each profile's version.
   */
  async saveMany(manager: EntityManager, rows: readonly InsightsWrite[]): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const saved = (await manager.query(
      `INSERT INTO profile_insights (profile_id, state, snapshot, version, lifetime_value, order_count, first_order_at, last_order_at, updated_at)
       SELECT profile_id, state, snapshot, coalesce(version, nextval('profile_insights_version_seq')), lifetime_value, order_count, first_order_at, last_order_at, now()
         FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::bigint[], $5::numeric[], $6::integer[], $7::timestamptz[], $8::timestamptz[])
              AS t(profile_id, state, snapshot, version, lifetime_value, order_count, first_order_at, last_order_at)
       ON CONFLICT (profile_id) DO UPDATE SET state = excluded.state, snapshot = excluded.snapshot, version = excluded.version,
         lifetime_value = excluded.lifetime_value, order_count = excluded.order_count,
         first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at, updated_at = now()
       RETURNING profile_id, version`,
      [
        rows.map((row) => row.profileId),
        rows.map((row) => JSON.stringify(row.state)),
        rows.map((row) => JSON.stringify(row.snapshot)),
        rows.map((row) => row.version),
        rows.map((row) => row.lifetimeValue),
        rows.map((row) => row.state.orderCount),
        rows.map((row) => row.state.firstOrderAt),
        rows.map((row) => row.state.lastOrderAt),
      ],
    )) as { profile_id: string; version: string }[];
    return new Map(saved.map((row) => [row.profile_id, Number(row.version)]));
  }

  /** The profile's whole history as the accumulator reads it, oldest first (to recompute after a merge). */
  async historyOf(manager: EntityManager, profileId: string): Promise<InsightEvent[]> {
    const rows = (await manager.query(
      `SELECT e.type, e.event, e.timestamp, e.properties, coalesce(s.channel, 'unknown') AS channel
         FROM events e LEFT JOIN sources s ON s.id = e.source_id
        WHERE e.profile_id = $1 ORDER BY e.timestamp, e.id`,
      [profileId],
    )) as { type: string; event: string | null; timestamp: Date; properties: Record<string, unknown> | null; channel: string }[];
    return rows.map((row) => ({ type: row.type, event: row.event, timestamp: row.timestamp.toISOString(), properties: row.properties, channel: row.channel }));
  }

  /** Profiles merged away keep no insights of their own. */
  async deleteFor(manager: EntityManager, profileIds: readonly string[]): Promise<void> {
    await manager.query('DELETE FROM profile_insights WHERE profile_id = ANY($1::uuid[])', [profileIds]);
  }

  /** Live profiles in id order after `afterId`, for jobs that walk the whole base in chunks. */
  async profileIdsAfter(manager: EntityManager, afterId: string | null, limit: number): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT id FROM profiles WHERE merged_into IS NULL AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }
}
