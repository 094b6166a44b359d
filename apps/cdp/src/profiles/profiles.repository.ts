import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProfileReference } from './profile-reference.js';
import type { TraitState } from './trait-merge.js';

export interface ProfileRow {
  readonly id: string;
  readonly mergedInto: string | null;
  readonly traits: TraitState;
  readonly consent: TraitState;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface RawProfileRow {
  id: string;
  merged_into: string | null;
  traits: TraitState;
  consent: TraitState;
  version: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, merged_into, traits, consent, version, created_at, updated_at';

/** Persistence of unified profiles. */
@Injectable()
export class ProfilesRepository {
  // Creation times come from the clock, not the transaction start: a batch creates
  // several profiles in one transaction, and the oldest survives a merge.
  async create(manager: EntityManager): Promise<ProfileRow> {
    const rows = (await manager.query(`INSERT INTO profiles (created_at) VALUES (clock_timestamp()) RETURNING ${COLUMNS}`)) as RawProfileRow[];
    return toProfile(rows[0] as RawProfileRow);
  }

  /** Creates profiles with the given ids, in that order of creation time. */
  async createMany(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`INSERT INTO profiles (id, created_at) SELECT id, clock_timestamp() + n * interval '1 microsecond' FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`, [ids]);
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<ProfileRow[]> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM profiles WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids])) as RawProfileRow[];
    return rows.map(toProfile);
  }

  /** Live profiles among the ids, row-locked in id order (the order every writer locks profiles in). */
  async lockLive(manager: EntityManager, ids: readonly string[]): Promise<ProfileRow[]> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM profiles WHERE id = ANY($1::uuid[]) AND merged_into IS NULL ORDER BY id FOR UPDATE`, [ids])) as RawProfileRow[];
    return rows.map(toProfile);
  }


  /** Saves each profile's traits and consent, and bumps the version every change is numbered by (once per changing event). */
  async saveStates(manager: EntityManager, states: readonly { id: string; traits: TraitState; consent: TraitState; changes: number }[]): Promise<void> {
    if (states.length === 0) return;
    await manager.query(
      `UPDATE profiles p SET traits = t.traits, consent = t.consent, version = p.version + t.changes, updated_at = now()
         FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::integer[]) AS t(id, traits, consent, changes) WHERE p.id = t.id`,
      [states.map((state) => state.id), states.map((state) => JSON.stringify(state.traits)), states.map((state) => JSON.stringify(state.consent)), states.map((state) => state.changes)],
    );
  }

  /** Marks profiles as merged into the survivor; earlier pointers to them move too, so lookups take one hop. */
  async markMerged(manager: EntityManager, mergedIds: readonly string[], survivorId: string): Promise<void> {
    await manager.query(
      `UPDATE profiles SET merged_into = $2, traits = '{}'::jsonb, consent = '{}'::jsonb, updated_at = now()
        WHERE id = ANY($1::uuid[]) OR merged_into = ANY($1::uuid[])`,
      [mergedIds, survivorId],
    );
  }

  /** The live profile for a profile id (following a merge) or for an identifier. */
  async resolveLive(manager: EntityManager, reference: ProfileReference): Promise<ProfileRow | null> {
    // Identities always point at live profiles; a profile id may be a merged-away one.
    const owner =
      'profileId' in reference
        ? { sql: 'SELECT coalesce(merged_into, id) FROM profiles WHERE id = $1', parameters: [reference.profileId] }
        : { sql: 'SELECT profile_id FROM identities WHERE type = $1 AND value = $2', parameters: [reference.identifier.type, reference.identifier.value] };
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM profiles WHERE id = (${owner.sql})`, owner.parameters)) as RawProfileRow[];
    return rows[0] ? toProfile(rows[0]) : null;
  }

  /** Live profiles whose trait equals the value, newest first, keyset-paginated. */
  async searchByTrait(manager: EntityManager, trait: string, value: unknown, limit: number, after: { updatedAt: string; id: string } | null): Promise<ProfileRow[]> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM profiles
        WHERE merged_into IS NULL AND traits @> $1::jsonb
          AND ($2::timestamptz IS NULL OR (updated_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY updated_at DESC, id DESC LIMIT $4`,
      [JSON.stringify({ [trait]: { value } }), after?.updatedAt ?? null, after?.id ?? null, limit],
    )) as RawProfileRow[];
    return rows.map(toProfile);
  }

  /** Ids of the profile and of every profile merged into it. */
  async familyOf(manager: EntityManager, profileId: string): Promise<string[]> {
    const rows = (await manager.query('SELECT id FROM profiles WHERE id = $1 OR merged_into = $1 FOR UPDATE', [profileId])) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async deleteFamily(manager: EntityManager, ids: readonly string[]): Promise<void> {
    // Pointers first: a merged-away profile references the survivor.
    await manager.query('DELETE FROM profiles WHERE id = ANY($1::uuid[]) AND merged_into IS NOT NULL', [ids]);
    await manager.query('DELETE FROM profiles WHERE id = ANY($1::uuid[])', [ids]);
  }
}

function toProfile(row: RawProfileRow): ProfileRow {
  return { id: row.id, mergedInto: row.merged_into, traits: row.traits, consent: row.consent, version: Number(row.version), createdAt: row.created_at, updatedAt: row.updated_at };
}
