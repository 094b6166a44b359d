import { SYNC_LOG_KINDS, type SyncLogKind } from './sync-log-entry.js';

export const SYNC_LOG_DEFAULT_LIMIT = 50;
export const SYNC_LOG_MAX_LIMIT = 500;

/** A validated GET /v1/sync-log query. */
export interface SyncLogQuery {
  readonly profileId: string | null;
  readonly contactId: string | null;
  readonly kind: SyncLogKind | null;
  readonly since: Date | null;
  readonly limit: number;
  /** Rows with a lower id than this (the page after the cursor's). */
  readonly beforeId: string | null;
}

/** A query parameter that cannot be used, named. */
export class SyncLogQueryError extends Error {
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    super(`${parameter} ${problem}`);
    this.name = 'SyncLogQueryError';
  }
}

const PARAMETERS = ['profileId', 'contactId', 'kind', 'since', 'limit', 'cursor'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Checks the raw query string values (as Express parses them); throws SyncLogQueryError naming the first bad parameter. */
export function parseSyncLogQuery(raw: Readonly<Record<string, unknown>>): SyncLogQuery {
  for (const name of Object.keys(raw)) {
    if (!(PARAMETERS as readonly string[]).includes(name)) throw new SyncLogQueryError(name, `is not a parameter of this endpoint (use ${PARAMETERS.join(', ')})`);
  }
  const text = (name: (typeof PARAMETERS)[number], maxLength: number): string | null => {
    const value = raw[name];
    if (value === undefined) return null;
    if (typeof value !== 'string') throw new SyncLogQueryError(name, 'must be given once, as text');
    if (value.length === 0 || value.length > maxLength) throw new SyncLogQueryError(name, `must be 1 to ${maxLength} characters`);
    return value;
  };

  const kind = text('kind', 40);
  if (kind !== null && !(SYNC_LOG_KINDS as readonly string[]).includes(kind)) throw new SyncLogQueryError('kind', `must be one of ${SYNC_LOG_KINDS.join(', ')}`);

  const sinceText = text('since', 40);
  const since = sinceText === null ? null : new Date(sinceText);
  if (sinceText !== null && (!ISO_DATE.test(sinceText) || Number.isNaN(since?.getTime()))) throw new SyncLogQueryError('since', 'must be an ISO-8601 date or date-time');

  const limitText = text('limit', 6);
  const limit = limitText === null ? SYNC_LOG_DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > SYNC_LOG_MAX_LIMIT) throw new SyncLogQueryError('limit', `must be a whole number from 1 to ${SYNC_LOG_MAX_LIMIT}`);

  const cursor = text('cursor', 100);
  return {
    profileId: text('profileId', 200),
    contactId: text('contactId', 200)?.toLowerCase() ?? null,
    kind: kind as SyncLogKind | null,
    since,
    limit,
    beforeId: cursor === null ? null : decodeSyncLogCursor(cursor),
  };
}

/** The cursor of the page after the row with this id. */
export function encodeSyncLogCursor(id: string): string {
  return Buffer.from(`sync-log:${id}`).toString('base64url');
}

function decodeSyncLogCursor(cursor: string): string {
  const match = /^sync-log:([1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new SyncLogQueryError('cursor', 'is not one this API handed out');
  return match[1];
}
