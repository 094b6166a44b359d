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

/** Persistence of each profile's insight aggregates and its last published snapshot. */
@Injectable()
export class InsightsRepository {
  /** The profile's insights, row-locked so concurrent events of one person apply one after the other. */
  lock(manager: EntityManager, profileId: string): Promise<StoredInsights | null> {
    return this.select(manager, profileId, 'FOR UPDATE');
  }

  read(manager: EntityManager, profileId: string): Promise<StoredInsights | null> {
    return this.select(manager, profileId, '');
  }

  private async select(manager: EntityManager, profileId: string, locking: 'FOR UPDATE' | ''): Promise<StoredInsights | null> {
    const rows = (await manager.query(`SELECT state, snapshot, version FROM profile_insights WHERE profile_id = $1 ${locking}`, [profileId])) as {
      state: InsightState;
      snapshot: PublishedInsights | null;
      version: string;
    }[];
    const row = rows[0];
    return row ? { state: row.state, snapshot: row.snapshot, version: Number(row.version) } : null;
  }

  async save(manager: EntityManager, profileId: string, state: InsightState, lifetimeValue: number, snapshot: PublishedInsights, version: number): Promise<void> {
    await manager.query(
      `INSERT INTO profile_insights (profile_id, state, snapshot, version, lifetime_value, order_count, first_order_at, last_order_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (profile_id) DO UPDATE SET state = excluded.state, snapshot = excluded.snapshot, version = excluded.version,
         lifetime_value = excluded.lifetime_value, order_count = excluded.order_count,
         first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at, updated_at = now()`,
      [profileId, JSON.stringify(state), JSON.stringify(snapshot), version, lifetimeValue, state.orderCount, state.firstOrderAt, state.lastOrderAt],
    );
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
