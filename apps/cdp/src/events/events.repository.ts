import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RawEventV1 } from '@cds/contracts';

export interface StoredEvent {
  readonly id: string;
  readonly messageId: string;
  readonly sourceId: string;
  readonly type: string;
  readonly event: string | null;
  readonly name: string | null;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly properties: unknown;
  readonly traits: unknown;
  readonly context: unknown;
  readonly timestamp: Date;
  readonly receivedAt: Date;
}

/** Durable storage of accepted events: the CDP's own record of what happened. */
@Injectable()
export class EventsRepository {
  /** False when the source already sent this messageId (a duplicate is stored once). */
  async insert(manager: EntityManager, event: RawEventV1, profileId: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO events (source_id, message_id, profile_id, type, event, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (source_id, message_id) DO NOTHING RETURNING id`,
      [
        event.sourceId,
        event.messageId,
        profileId,
        event.type,
        event.event ?? null,
        event.name ?? null,
        event.userId ?? null,
        event.anonymousId ?? null,
        event.properties ? JSON.stringify(event.properties) : null,
        event.traits ? JSON.stringify(event.traits) : null,
        event.context ? JSON.stringify(event.context) : null,
        event.timestamp,
        event.receivedAt,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  /**
   * Stores events in the order given (ids rise with it); an already stored
   * messageId is skipped. Returns how many were stored.
   */
  async insertMany(manager: EntityManager, rows: readonly { event: RawEventV1; profileId: string }[]): Promise<number> {
    if (rows.length === 0) return 0;
    const column = <T>(pick: (event: RawEventV1) => T): T[] => rows.map((row) => pick(row.event));
    const json = (value: unknown): string | null => (value ? JSON.stringify(value) : null);
    const result = (await manager.query(
      `INSERT INTO events (source_id, message_id, profile_id, type, event, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at)
       SELECT source_id, message_id, profile_id, type, event, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::timestamptz[], $13::timestamptz[])
              WITH ORDINALITY AS t(source_id, message_id, profile_id, type, event, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at, n)
        ORDER BY n
       ON CONFLICT (source_id, message_id) DO NOTHING RETURNING 1`,
      [
        column((event) => event.sourceId),
        column((event) => event.messageId),
        rows.map((row) => row.profileId),
        column((event) => event.type),
        column((event) => event.event ?? null),
        column((event) => event.name ?? null),
        column((event) => event.userId ?? null),
        column((event) => event.anonymousId ?? null),
        column((event) => json(event.properties)),
        column((event) => json(event.traits)),
        column((event) => json(event.context)),
        column((event) => event.timestamp),
        column((event) => event.receivedAt),
      ],
    )) as unknown[];
    return result.length;
  }

  /** `sourceId:messageId` of the events among these already stored, in one query. */
  async storedAmong(manager: EntityManager, keys: readonly { sourceId: string; messageId: string }[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = (await manager.query(
      'SELECT e.source_id, e.message_id FROM events e JOIN unnest($1::uuid[], $2::text[]) AS t(source_id, message_id) USING (source_id, message_id)',
      [keys.map((key) => key.sourceId), keys.map((key) => key.messageId)],
    )) as { source_id: string; message_id: string }[];
    return new Set(rows.map((row) => eventKey(row.source_id, row.message_id)));
  }

  async exists(manager: EntityManager, sourceId: string, messageId: string): Promise<boolean> {
    const rows = (await manager.query('SELECT 1 FROM events WHERE source_id = $1 AND message_id = $2', [sourceId, messageId])) as unknown[];
    return rows.length > 0;
  }

  async moveToProfile(manager: EntityManager, fromProfileIds: readonly string[], toProfileId: string): Promise<void> {
    await manager.query('UPDATE events SET profile_id = $2 WHERE profile_id = ANY($1::uuid[])', [fromProfileIds, toProfileId]);
  }

  /** A profile's events, newest first, keyset-paginated on (timestamp, id). */
  async timeline(manager: EntityManager, profileId: string, limit: number, before: { timestamp: string; id: string } | null): Promise<StoredEvent[]> {
    const rows = (await manager.query(
      `SELECT id, message_id, source_id, type, event, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at
         FROM events WHERE profile_id = $1
          AND ($2::timestamptz IS NULL OR (timestamp, id) < ($2::timestamptz, $3::bigint))
        ORDER BY timestamp DESC, id DESC LIMIT $4`,
      [profileId, before?.timestamp ?? null, before?.id ?? null, limit],
    )) as Record<string, unknown>[];
    return rows.map((row) => ({
      id: String(row['id']),
      messageId: row['message_id'] as string,
      sourceId: row['source_id'] as string,
      type: row['type'] as string,
      event: row['event'] as string | null,
      name: row['name'] as string | null,
      userId: row['user_id'] as string | null,
      anonymousId: row['anonymous_id'] as string | null,
      properties: row['properties'],
      traits: row['traits'],
      context: row['context'],
      timestamp: row['timestamp'] as Date,
      receivedAt: row['received_at'] as Date,
    }));
  }

  async deleteForProfiles(manager: EntityManager, profileIds: readonly string[]): Promise<number> {
    const result = (await manager.query('DELETE FROM events WHERE profile_id = ANY($1::uuid[])', [profileIds])) as [unknown[], number];
    return result[1];
  }
}

/** Identity of an event for deduplication: a messageId is unique per source. */
export function eventKey(sourceId: string, messageId: string): string {
  return `${sourceId}:${messageId}`;
}
