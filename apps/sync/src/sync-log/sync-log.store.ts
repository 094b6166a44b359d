import type { DataSource } from 'typeorm';
import type { SyncLogEntry, SyncLogRow } from './sync-log-entry.js';
import { encodeSyncLogCursor, type SyncLogQuery } from './sync-log-query.js';

/** An entry with the time it happened (appended), not the time it was written. */
export interface TimedSyncLogEntry extends SyncLogEntry {
  readonly at: Date;
}

const PRUNE_CHUNK = 10_000;

/** The sync_log table, in raw SQL. */
export class SyncLogStore {
  constructor(private readonly dataSource: DataSource) {}

  /** All entries in one multi-row INSERT. */
  async insert(entries: readonly TimedSyncLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const column = <T>(pick: (entry: TimedSyncLogEntry) => T): T[] => entries.map(pick);
    await this.dataSource.query(
      `INSERT INTO sync_log (logged_at, kind, profile_id, contact_id, version, source_topic, source_partition, source_offset, reason)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::integer[], $8::bigint[], $9::text[])`,
      [
        column((entry) => entry.at.toISOString()),
        column((entry) => entry.kind),
        column((entry) => entry.profileId ?? null),
        column((entry) => entry.contactId?.toLowerCase() ?? null),
        column((entry) => entry.version ?? null),
        column((entry) => entry.source?.topic ?? null),
        column((entry) => entry.source?.partition ?? null),
        column((entry) => entry.source?.offset ?? null),
        column((entry) => entry.reason?.slice(0, 2000) ?? null),
      ],
    );
  }

  /** Newest first; `nextCursor` is null on the last page. */
  async query(query: SyncLogQuery): Promise<{ data: SyncLogRow[]; nextCursor: string | null }> {
    const rows = (await this.dataSource.query(
      `SELECT id, logged_at, kind, profile_id, contact_id, version, source_topic, source_partition, source_offset, reason FROM sync_log
       WHERE ($1::text IS NULL OR profile_id = $1) AND ($2::text IS NULL OR contact_id = $2) AND ($3::text IS NULL OR kind = $3)
         AND ($4::timestamptz IS NULL OR logged_at >= $4) AND ($5::bigint IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [query.profileId, query.contactId, query.kind, query.since?.toISOString() ?? null, query.beforeId, query.limit + 1],
    )) as Record<string, string | number | Date | null>[];
    const page = rows.slice(0, query.limit).map(toRow);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > query.limit && last ? encodeSyncLogCursor(last.id) : null };
  }

  /** Deletes up to 10,000 rows older than the retention; true while more are due. */
  async prune(retentionHours: number): Promise<boolean> {
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM sync_log WHERE id IN (SELECT id FROM sync_log WHERE logged_at < now() - make_interval(hours => $1) LIMIT ${PRUNE_CHUNK})`,
      [retentionHours],
    )) as [unknown, number];
    return deleted === PRUNE_CHUNK;
  }
}

function toRow(row: Record<string, string | number | Date | null>): SyncLogRow {
  const text = (name: string): string | null => (row[name] === null ? null : String(row[name]));
  return {
    id: String(row['id']),
    at: (row['logged_at'] as Date).toISOString(),
    kind: row['kind'] as SyncLogRow['kind'],
    profileId: text('profile_id'),
    contactId: text('contact_id'),
    version: row['version'] === null ? null : Number(row['version']),
    source: row['source_topic'] === null ? null : { topic: String(row['source_topic']), partition: Number(row['source_partition']), offset: String(row['source_offset']) },
    reason: text('reason'),
  };
}
