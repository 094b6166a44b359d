/**
 * The outbox table as migration v1 of each service creates it. Frozen: a later
 * change is a new migration, never an edit here.
 */
export const OUTBOX_TABLE_V1_DDL = [
  `CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    topic text NOT NULL,
    message_key text,
    payload text,
    headers jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
] as const;

/** Postgres NOTIFY channel that wakes the relay as soon as a transaction with messages commits. */
export const OUTBOX_CHANNEL = 'outbox';
