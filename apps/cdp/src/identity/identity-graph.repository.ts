import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { identifierKey, type Identifier, type IdentifierType } from './identifier.js';
import type { TraitState } from '../profiles/trait-merge.js';
import type { IdentityConflict, MatchedProfile } from './identity-resolution.js';

/** A profile matched by identifiers, with its traits and consent as stored. */
export interface OwnerProfile extends MatchedProfile {
  readonly traits: TraitState;
  readonly consent: TraitState;
}

/** Persistence of the identity graph: which profile owns which identifier. */
@Injectable()
export class IdentityGraphRepository {
  /**
   * Serialises concurrent work on the same identifiers (same person, other
   * partition or instance) until the transaction ends. Keys are locked in sorted
   * order so two transactions never wait on each other in a cycle.
   */
  async lockIdentifiers(manager: EntityManager, identifiers: readonly Identifier[]): Promise<void> {
    const keys = [...new Set(identifiers.map(identifierKey))].sort();
    if (keys.length === 0) return;
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(key, n) ORDER BY n', [keys]);
  }

  /**
   * Live profiles owning any of the identifiers, row-locked (in id order, as every
   * writer locks profiles), with all their identifiers and their state; oldest first.
   * One statement.
   */
  async lockOwners(manager: EntityManager, identifiers: readonly Identifier[]): Promise<OwnerProfile[]> {
    if (identifiers.length === 0) return [];
    const owners = (await manager.query(
      `SELECT locked.id, locked.created_at, locked.traits, locked.consent,
              coalesce((SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.type, i.value) FROM identities i WHERE i.profile_id = locked.id), '[]'::json) AS identifiers
         FROM (SELECT p.id, p.created_at, p.traits, p.consent FROM profiles p
                WHERE p.id IN (SELECT i.profile_id FROM identities i
                                JOIN unnest($1::text[], $2::text[]) AS wanted(type, value) USING (type, value))
                ORDER BY p.id FOR UPDATE OF p) AS locked
        ORDER BY locked.created_at, locked.id`,
      [identifiers.map((identifier) => identifier.type), identifiers.map((identifier) => identifier.value)],
    )) as { id: string; created_at: Date; traits: TraitState; consent: TraitState; identifiers: Identifier[] }[];
    return owners.map((owner) => ({ id: owner.id, createdAt: owner.created_at, identifiers: owner.identifiers, traits: owner.traits, consent: owner.consent }));
  }

  async identifiersOfProfiles(manager: EntityManager, profileIds: readonly string[]): Promise<Map<string, Identifier[]>> {
    const rows = (await manager.query('SELECT profile_id, type, value FROM identities WHERE profile_id = ANY($1::uuid[]) ORDER BY type, value', [profileIds])) as {
      profile_id: string;
      type: IdentifierType;
      value: string;
    }[];
    const byProfile = new Map<string, Identifier[]>();
    for (const row of rows) byProfile.set(row.profile_id, [...(byProfile.get(row.profile_id) ?? []), { type: row.type, value: row.value }]);
    return byProfile;
  }

  async attach(manager: EntityManager, profileId: string, identifiers: readonly Identifier[]): Promise<void> {
    await this.attachMany(manager, identifiers.map((identifier) => ({ profileId, identifier })));
  }

  async attachMany(manager: EntityManager, rows: readonly { profileId: string; identifier: Identifier }[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(`INSERT INTO identities (type, value, profile_id) SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])`, [
      rows.map((row) => row.identifier.type),
      rows.map((row) => row.identifier.value),
      rows.map((row) => row.profileId),
    ]);
  }

  /** Moves the merged profiles' identifiers to the survivor. */
  async repoint(manager: EntityManager, fromProfileIds: readonly string[], toProfileId: string): Promise<void> {
    await manager.query('UPDATE identities SET profile_id = $2 WHERE profile_id = ANY($1::uuid[])', [fromProfileIds, toProfileId]);
  }

  async recordConflicts(manager: EntityManager, conflicts: readonly IdentityConflict[], messageId: string, newProfileId: string): Promise<void> {
    for (const conflict of conflicts) {
      const otherProfileId = conflict.kind === 'merge_refused' ? conflict.otherProfileId : null;
      const type = conflict.kind === 'merge_refused' ? conflict.identifierType : conflict.identifier.type;
      const detail = conflict.kind === 'merge_refused' ? { values: conflict.values } : { value: conflict.identifier.value };
      await manager.query(
        'INSERT INTO identity_conflicts (kind, profile_id, other_profile_id, identifier_type, detail, message_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [conflict.kind, conflict.profileId ?? newProfileId, otherProfileId, type, JSON.stringify(detail), messageId],
      );
    }
  }

  async conflictsOf(manager: EntityManager, profileId: string): Promise<{ kind: string; otherProfileId: string | null; identifierType: string; detail: unknown; messageId: string | null; createdAt: Date }[]> {
    const rows = (await manager.query(
      `SELECT kind, other_profile_id, identifier_type, detail, message_id, created_at FROM identity_conflicts
        WHERE profile_id = $1 OR other_profile_id = $1 ORDER BY id DESC LIMIT 100`,
      [profileId],
    )) as { kind: string; other_profile_id: string | null; identifier_type: string; detail: unknown; message_id: string | null; created_at: Date }[];
    return rows.map((row) => ({ kind: row.kind, otherProfileId: row.other_profile_id, identifierType: row.identifier_type, detail: row.detail, messageId: row.message_id, createdAt: row.created_at }));
  }

  async isAnySuppressed(manager: EntityManager, identifiers: readonly Identifier[]): Promise<boolean> {
    return (await this.suppressedAmong(manager, identifiers)).size > 0;
  }

  /** Keys (`identifierKey`) of the identifiers that were erased, in one query. */
  async suppressedAmong(manager: EntityManager, identifiers: readonly Identifier[]): Promise<Set<string>> {
    if (identifiers.length === 0) return new Set();
    const byHash = new Map(identifiers.map((identifier) => [suppressionHash(identifier), identifierKey(identifier)]));
    const rows = (await manager.query('SELECT identifier_hash FROM erased_identifiers WHERE identifier_hash = ANY($1::text[])', [[...byHash.keys()]])) as { identifier_hash: string }[];
    return new Set(rows.map((row) => byHash.get(row.identifier_hash) as string));
  }

  async suppress(manager: EntityManager, identifiers: readonly Identifier[]): Promise<void> {
    await manager.query('INSERT INTO erased_identifiers (identifier_hash) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [identifiers.map(suppressionHash)]);
  }
}

/** Erased identifiers are kept only as hashes: enough to refuse them, not to read them back. */
function suppressionHash(identifier: Identifier): string {
  return createHash('sha256').update(identifierKey(identifier)).digest('hex');
}
