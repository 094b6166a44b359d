import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What the CDP enrichment of one live contact is: the sync compares it with the insights topic. */
export interface EnrichmentState {
  readonly contactId: string;
  /** Lower-cased, for the sync's email matching. */
  readonly email: string | null;
  /** The profile the enrichment came from; null when the contact has none (never enriched, or cleared). */
  readonly profileId: string | null;
  readonly version: number;
  readonly syncedAt: string | null;
}

@Injectable()
export class EnrichmentRepository {
  /** Live contacts by id, after `afterId`; `limit` rows at most. */
  async listStates(manager: EntityManager, afterId: string | null, limit: number): Promise<EnrichmentState[]> {
    const rows = (await manager.query(
      `SELECT id, email, cdp_profile_id, enrichment_version, enrichment_synced_at, enrichment IS NOT NULL AS enriched FROM contacts
       WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
      [afterId, limit],
    )) as { id: string; email: string | null; cdp_profile_id: string | null; enrichment_version: string; enrichment_synced_at: Date | null; enriched: boolean }[];
    return rows.map((row) => ({
      contactId: row.id,
      email: row.email?.toLowerCase() ?? null,
      profileId: row.enriched ? row.cdp_profile_id : null,
      version: Number(row.enrichment_version),
      syncedAt: row.enrichment_synced_at?.toISOString() ?? null,
    }));
  }
}
