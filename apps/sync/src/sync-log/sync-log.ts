import type { SyncLogEntry } from './sync-log-entry.js';
import type { SyncLogStore, TimedSyncLogEntry } from './sync-log.store.js';

/** Rows written per INSERT. */
const FLUSH_LIMIT = 5000;
/** Entries kept while the database cannot take them; beyond this the oldest are dropped (the log is for operators, not a ledger). */
const BUFFER_LIMIT = 100_000;

/**
 * The sync log as the bridge sees it: `append` only buffers (no database
 * round trip on the hot path); `flush` writes what is buffered in one
 * multi-row INSERT. The service flushes from a background task, a command
 * before it exits.
 */
export class SyncLog {
  private buffer: TimedSyncLogEntry[] = [];
  private dropped = 0;

  constructor(private readonly store: SyncLogStore) {}

  append(entries: readonly SyncLogEntry[]): void {
    if (entries.length === 0) return;
    const at = new Date();
    for (const entry of entries) this.buffer.push({ ...entry, at });
    const excess = this.buffer.length - BUFFER_LIMIT;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Writes up to FLUSH_LIMIT buffered entries; true while more are buffered. On failure they stay buffered. */
  async flush(): Promise<boolean> {
    const taken = this.buffer.splice(0, FLUSH_LIMIT);
    try {
      await this.store.insert(taken);
    } catch (error) {
      this.buffer.unshift(...taken);
      throw new Error(`sync log not written (${this.buffer.length} entries buffered)`, { cause: error });
    }
    return this.buffer.length > 0;
  }

  /** Writes everything buffered. */
  async flushAll(): Promise<void> {
    while (await this.flush());
  }

  /** How many entries were dropped because the buffer was full; reset on reading. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }
}
