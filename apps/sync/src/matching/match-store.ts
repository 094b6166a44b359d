import type { DataSource, EntityManager } from 'typeorm';
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
    for (const profile of unmatched) {
      await manager.query(
        `INSERT INTO unmatched_profiles (profile_id, version, emails, crm_contact_ids) VALUES ($1, $2, $3, $4)
         ON CONFLICT (profile_id) DO UPDATE SET version = GREATEST(unmatched_profiles.version, EXCLUDED.version),
           emails = EXCLUDED.emails, crm_contact_ids = EXCLUDED.crm_contact_ids, last_seen_at = now()`,
        [profile.profileId, profile.version, profile.emails, profile.crmContactIds],
      );
    }
  }
}
