import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EnrichableContact, EnrichmentWrite, TimelineEntry } from './enrichment-batch-plan.js';

/** A whole enrichment batch in three statements: lock the named contacts, write them, add their timeline lines. */
@Injectable()
export class EnrichmentApplyRepository {
  /**
   * The live contacts named by id or email, locked in id order, so two batches
   * naming the same contacts wait for each other instead of deadlocking.
   */
  async lock(manager: EntityManager, ids: readonly string[], emails: readonly string[]): Promise<EnrichableContact[]> {
    if (ids.length + emails.length === 0) return [];
    const rows = (await manager.query(
      `SELECT id, email, enrichment, enrichment_version FROM contacts
        WHERE deleted_at IS NULL AND (id = ANY($1::uuid[]) OR email = ANY($2::text[]))
        ORDER BY id FOR UPDATE`,
      [ids, emails],
    )) as { id: string; email: string | null; enrichment: Record<string, unknown> | null; enrichment_version: string }[];
    return rows.map((row) => ({ id: row.id, email: row.email, enrichment: row.enrichment, enrichmentVersion: Number(row.enrichment_version) }));
  }

  async write(manager: EntityManager, writes: readonly EnrichmentWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await manager.query(
      `UPDATE contacts AS c SET enrichment = u.enrichment, enrichment_version = u.version, enrichment_synced_at = now(), cdp_profile_id = u.profile_id,
              segment_keys = ARRAY(SELECT jsonb_array_elements_text(u.segment_keys))
         FROM unnest($1::uuid[], $2::jsonb[], $3::bigint[], $4::uuid[], $5::jsonb[]) AS u(id, enrichment, version, profile_id, segment_keys)
        WHERE c.id = u.id`,
      [
        writes.map((write) => write.contactId),
        writes.map((write) => (write.enrichment === null ? null : JSON.stringify(write.enrichment))),
        writes.map((write) => write.version),
        writes.map((write) => write.profileId),
        writes.map((write) => JSON.stringify(write.segmentKeys)),
      ],
    );
  }

  async addTimeline(manager: EntityManager, entries: readonly TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(`INSERT INTO contact_timeline (contact_id, kind, summary, detail) SELECT id, 'insight', summary, detail FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS t(id, summary, detail)`, [
      entries.map((entry) => entry.contactId),
      entries.map((entry) => entry.summary),
      entries.map((entry) => JSON.stringify(entry.detail)),
    ]);
  }
}
