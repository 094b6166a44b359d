import { randomUUID } from 'node:crypto';
import { ContractViolationError, parseContractValue, rawEventV1, SEGMENT_EVENT_TYPES, type RawEventV1, type SegmentEventType } from '@cds/contracts';
import { correctEventTime } from './event-time.js';

/** Segment's documented limits (HTTP tracking API). */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

export interface RejectedEvent {
  /** Position in the batch (0 for a single call). */
  readonly index: number;
  readonly errors: readonly string[];
}

export interface ParsedEvents {
  readonly accepted: RawEventV1[];
  readonly rejected: RejectedEvent[];
}

export interface CollectionContext {
  readonly sourceId: string;
  readonly receivedAt: Date;
  /** Size of the whole request body when known (uncompressed Content-Length). */
  readonly bodyBytes?: number | undefined;
}

// The Segment fields the CDP keeps. Others an SDK adds (`_metadata`, `version`,
// `writeKey`, `channel`, ...) are ignored, as Segment ignores them.
const KEPT_FIELDS = ['messageId', 'event', 'name', 'userId', 'anonymousId', 'previousId', 'groupId', 'traits', 'properties', 'context', 'integrations'] as const;

type Plain = Record<string, unknown>;

/** One `/v1/<type>` call. */
export function parseSingleCall(type: SegmentEventType, body: unknown, context: CollectionContext): ParsedEvents {
  if (!isPlainObject(body)) return { accepted: [], rejected: [{ index: 0, errors: ['body: must be a JSON object'] }] };
  return collect([{ ...body, type }], {}, context);
}

/**
 * A `/v1/batch` call: every event is checked on its own; the valid ones are
 * accepted and each invalid one is reported by its index, so one bad event
 * never loses the others.
 */
export function parseBatchCall(body: unknown, context: CollectionContext): ParsedEvents | { readonly error: string } {
  if (!isPlainObject(body)) return { error: 'body: must be a JSON object with a "batch" array' };
  const batch = body['batch'];
  if (!Array.isArray(batch)) return { error: 'batch: must be an array of events' };
  if (batch.length === 0) return { error: 'batch: must contain at least one event' };
  const shared: Plain = {};
  for (const field of ['context', 'integrations', 'sentAt'] as const) if (body[field] !== undefined) shared[field] = body[field];
  return collect(batch, shared, context);
}

function collect(items: readonly unknown[], shared: Plain, context: CollectionContext): ParsedEvents {
  const accepted: RawEventV1[] = [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item, index) => {
    const result = toRawEvent(item, shared, context);
    if (Array.isArray(result)) rejected.push({ index, errors: result });
    else accepted.push(result);
  });
  return { accepted, rejected };
}

function toRawEvent(item: unknown, shared: Plain, context: CollectionContext): RawEventV1 | string[] {
  if (!isPlainObject(item)) return ['event: must be a JSON object'];
  // No event can be bigger than the body that carries it: measuring each one (a
  // JSON.stringify per event) is only needed when the body could hold one too big.
  if (context.bodyBytes === undefined || context.bodyBytes > MAX_EVENT_BYTES) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes > MAX_EVENT_BYTES) return [`event: is ${Math.ceil(bytes / 1024)} KB; the limit is 32 KB per event`];
  }
  const type = item['type'];
  if (typeof type !== 'string' || !(SEGMENT_EVENT_TYPES as readonly string[]).includes(type)) {
    return [`type: must be one of ${SEGMENT_EVENT_TYPES.join(', ')}`];
  }
  const timeErrors = (['timestamp', 'sentAt'] as const).filter((field) => {
    const value = item[field] ?? (field === 'sentAt' ? shared['sentAt'] : undefined);
    return value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)));
  });
  if (timeErrors.length > 0) return timeErrors.map((field) => `${field}: must be an ISO 8601 date-time`);

  const kept: Plain = {};
  for (const field of KEPT_FIELDS) if (item[field] !== undefined && item[field] !== null) kept[field] = item[field];
  if (shared['integrations'] !== undefined && kept['integrations'] === undefined) kept['integrations'] = shared['integrations'];
  if (isPlainObject(shared['context'])) kept['context'] = { ...shared['context'], ...(isPlainObject(kept['context']) ? kept['context'] : {}) };
  const times = correctEventTime({
    timestamp: item['timestamp'] as string | undefined,
    sentAt: (item['sentAt'] ?? shared['sentAt']) as string | undefined,
    receivedAt: context.receivedAt,
  });
  try {
    return parseContractValue(rawEventV1, {
      ...kept,
      schemaVersion: 1,
      type,
      messageId: kept['messageId'] ?? `cdp-${randomUUID()}`,
      sourceId: context.sourceId,
      timestamp: times.timestamp,
      ...(times.originalTimestamp ? { originalTimestamp: times.originalTimestamp } : {}),
      ...(times.sentAt ? { sentAt: times.sentAt } : {}),
      receivedAt: times.receivedAt,
    });
  } catch (error) {
    if (error instanceof ContractViolationError) return error.violations.map(String);
    throw error;
  }
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
