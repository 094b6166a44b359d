/** What a sync-log row says happened. */
export const SYNC_LOG_KINDS = ['applied', 'stale', 'not_found', 'created', 'dead_lettered', 'cleared', 'merged', 'erased', 'rematched', 'replayed', 'resynced'] as const;
export type SyncLogKind = (typeof SYNC_LOG_KINDS)[number];

/** Where the message behind a row was read. */
export interface SyncLogSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** One application or failure, as appended to the sync log. */
export interface SyncLogEntry {
  readonly kind: SyncLogKind;
  readonly profileId?: string | null;
  readonly contactId?: string | null;
  readonly version?: number | null;
  readonly source?: SyncLogSource | null;
  readonly reason?: string | null;
}

/** A stored row, as the query API returns it. */
export interface SyncLogRow extends Required<SyncLogEntry> {
  readonly id: string;
  readonly at: string;
}
