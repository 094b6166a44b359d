import type { DataSource, EntityManager } from 'typeorm';
import type { EnrichmentUpdateV1 } from '@cds/contracts';
import { retryingTransaction } from '@cds/service-kit';

export interface StoredLink {
  readonly contactId: string;
  readonly lastVersion: number;
}

export interface UnmatchedProfile {
  readonly profileId: string;
  readonly version: number;
  readonly emails: readonly string[];
  readonly crmContactIds: readonly string[];
  /**
   * The update the bridge tried to deliver for this version, kept to be applied
   * when a matching contact appears. Absent or null: nothing could be sent.
   */
  readonly update?: EnrichmentUpdateV1 | null;
}

/** An unmatched profile with the update it is waiting to deliver. */
export interface PendingProfile {
  readonly profileId: string;
  readonly version: number;
  readonly emails: readonly string[];
  readonly crmContactIds: readonly string[];
  readonly update: EnrichmentUpdateV1;
}

/** A link to write once the CRM applied (or already had) an update. */
export interface NewLink {
  readonly profileId: string;
  readonly contactId: string;
  readonly version: number;
}

/** What a merge does to the links and unmatched rows (see planMerge in lifecycle/). */
export interface MergePlan {
  /** A merged-away profile's link that becomes the survivor's. */
  readonly move: { readonly from: string; readonly contactId: string; readonly lastVersion: number } | null;
  /** Profiles whose link is deleted. */
  readonly unlink: readonly string[];
  /** Profiles whose unmatched row is deleted. */
  readonly dropUnmatched: readonly string[];
}

/** What one CRM answer changes in the sync database, written in one transaction. */
export interface MatchChanges {
  readonly links: readonly { readonly profileId: string; readonly contactId: string; readonly version: number }[];
  readonly unmatched: readonly UnmatchedProfile[];
  /** Profiles erased or merged away: their link and unmatched row go. */
  readonly forget: readonly string[];
  /** Profiles whose linked contact is gone: the link goes (their unmatched row stays). */
  readonly unlink: readonly string[];
}

/** profile_contact_links and unmatched_profiles, in raw SQL. */
export class MatchStore {
  constructor(private readonly dataSource: DataSource) {}

  async links(profileIds: readonly string[]): Promise<Map<string, StoredLink>> {
    if (profileIds.length === 0) return new Map();
    const rows = (await this.dataSource.query('SELECT profile_id, contact_id, last_version FROM profile_contact_links WHERE profile_id = ANY($1::text[])', [profileIds])) as {
      profile_id: string;
      contact_id: string;
      last_version: string;
    }[];
    return new Map(rows.map((row) => [row.profile_id, { contactId: row.contact_id, lastVersion: Number(row.last_version) }]));
  }

  async record(changes: MatchChanges): Promise<void> {
    if (changes.links.length + changes.unmatched.length + changes.forget.length + changes.unlink.length === 0) return;
    await retryingTransaction(this.dataSource, async (manager) => {
      await this.writeLinks(manager, changes.links);
      await this.writeUnmatched(manager, changes.unmatched);
      const settled = [...changes.links.map((link) => link.profileId), ...changes.forget];
      if (settled.length > 0) await manager.query('DELETE FROM unmatched_profiles WHERE profile_id = ANY($1::text[])', [settled]);
      const unlinked = [...changes.forget, ...changes.unlink];
      if (unlinked.length > 0) await manager.query('DELETE FROM profile_contact_links WHERE profile_id = ANY($1::text[])', [unlinked]);
    });
  }

  private async writeLinks(manager: EntityManager, links: MatchChanges['links']): Promise<void> {
    if (links.length === 0) return;
    await manager.query(
      `INSERT INTO profile_contact_links (profile_id, contact_id, last_version, linked_at)
       SELECT l.profile_id, l.contact_id, l.last_version, now() FROM unnest($1::text[], $2::uuid[], $3::bigint[]) AS l(profile_id, contact_id, last_version)
       ON CONFLICT (profile_id) DO UPDATE SET
         contact_id = EXCLUDED.contact_id,
         last_version = GREATEST(profile_contact_links.last_version, EXCLUDED.last_version),
         linked_at = CASE WHEN profile_contact_links.contact_id = EXCLUDED.contact_id THEN profile_contact_links.linked_at ELSE now() END`,
      [links.map((link) => link.profileId), links.map((link) => link.contactId), links.map((link) => link.version)],
    );
  }

  private async writeUnmatched(manager: EntityManager, unmatched: MatchChanges['unmatched']): Promise<void> {
    // One row per profile (a statement may not touch a row twice): its newest version.
    const newest = new Map<string, UnmatchedProfile>();
    for (const profile of unmatched) if ((newest.get(profile.profileId)?.version ?? -1) <= profile.version) newest.set(profile.profileId, profile);
    const rows = [...newest.values()];
    if (rows.length === 0) return;
    // A redelivered or reordered older snapshot changes nothing: only the newest version's identifiers and update are kept.
    await manager.query(
      `INSERT INTO unmatched_profiles (profile_id, version, emails, crm_contact_ids, pending_update)
       SELECT u.profile_id, u.version, ARRAY(SELECT jsonb_array_elements_text(u.emails)), ARRAY(SELECT jsonb_array_elements_text(u.crm_contact_ids)), u.pending_update
         FROM unnest($1::text[], $2::bigint[], $3::jsonb[], $4::jsonb[], $5::jsonb[]) AS u(profile_id, version, emails, crm_contact_ids, pending_update)
       ON CONFLICT (profile_id) DO UPDATE SET
         emails = CASE WHEN EXCLUDED.version >= unmatched_profiles.version THEN EXCLUDED.emails ELSE unmatched_profiles.emails END,
         crm_contact_ids = CASE WHEN EXCLUDED.version >= unmatched_profiles.version THEN EXCLUDED.crm_contact_ids ELSE unmatched_profiles.crm_contact_ids END,
         pending_update = CASE WHEN EXCLUDED.version >= unmatched_profiles.version THEN EXCLUDED.pending_update ELSE unmatched_profiles.pending_update END,
         version = GREATEST(unmatched_profiles.version, EXCLUDED.version),
         last_seen_at = now()`,
      [
        rows.map((profile) => profile.profileId),
        rows.map((profile) => profile.version),
        rows.map((profile) => JSON.stringify(profile.emails.map((email) => email.toLowerCase()))),
        rows.map((profile) => JSON.stringify(profile.crmContactIds.map((id) => id.toLowerCase()))),
        rows.map((profile) => (profile.update ? JSON.stringify(profile.update) : null)),
      ],
    );
  }

  /** Unmatched profiles with an update waiting whose emails or CRM contact ids name this contact. */
  async pendingFor(contactId: string, email: string | undefined): Promise<PendingProfile[]> {
    const rows = (await this.dataSource.query(
      `SELECT profile_id, version, emails, crm_contact_ids, pending_update FROM unmatched_profiles
       WHERE pending_update IS NOT NULL AND (crm_contact_ids && ARRAY[lower($1)] OR ($2::text IS NOT NULL AND emails && ARRAY[lower($2::text)]))
       ORDER BY profile_id`,
      [contactId, email ?? null],
    )) as { profile_id: string; version: string; emails: string[]; crm_contact_ids: string[]; pending_update: EnrichmentUpdateV1 }[];
    return rows.map((row) => ({ profileId: row.profile_id, version: Number(row.version), emails: row.emails, crmContactIds: row.crm_contact_ids, update: row.pending_update }));
  }

  /**
   * Links profiles whose waiting update the CRM applied (or already had), and
   * drops their unmatched rows unless a newer version arrived meanwhile.
   */
  async settlePending(links: readonly NewLink[]): Promise<void> {
    if (links.length === 0) return;
    await retryingTransaction(this.dataSource, async (manager) => {
      await this.writeLinks(manager, links);
      for (const link of links) await manager.query('DELETE FROM unmatched_profiles WHERE profile_id = $1 AND version <= $2', [link.profileId, link.version]);
    });
  }

  /**
   * Applies a merge in one transaction: the links of the survivor and the
   * merged-away profiles are locked and read, `plan` decides, the plan is written.
   */
  async applyMerge(survivorId: string, mergedIds: readonly string[], plan: (links: Map<string, StoredLink>) => MergePlan): Promise<MergePlan> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const ids = [survivorId, ...mergedIds];
      const rows = (await manager.query('SELECT profile_id, contact_id, last_version FROM profile_contact_links WHERE profile_id = ANY($1::text[]) ORDER BY profile_id FOR UPDATE', [ids])) as {
        profile_id: string;
        contact_id: string;
        last_version: string;
      }[];
      const decided = plan(new Map(rows.map((row) => [row.profile_id, { contactId: row.contact_id, lastVersion: Number(row.last_version) }])));
      if (decided.unlink.length > 0) await manager.query('DELETE FROM profile_contact_links WHERE profile_id = ANY($1::text[])', [decided.unlink]);
      // A link the bridge gave the survivor meanwhile (its own insights matched) wins over the moved one.
      if (decided.move) {
        await manager.query('INSERT INTO profile_contact_links (profile_id, contact_id, last_version, linked_at) VALUES ($1, $2, $3, now()) ON CONFLICT (profile_id) DO NOTHING', [
          survivorId,
          decided.move.contactId,
          decided.move.lastVersion,
        ]);
      }
      if (decided.dropUnmatched.length > 0) await manager.query('DELETE FROM unmatched_profiles WHERE profile_id = ANY($1::text[])', [decided.dropUnmatched]);
      return decided;
    });
  }

  /** Deletes the links and unmatched rows of these profiles (erasure). */
  async forget(profileIds: readonly string[]): Promise<void> {
    if (profileIds.length === 0) return;
    await this.record({ links: [], unmatched: [], forget: profileIds, unlink: [] });
  }
}
