import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { ABSENT, RequiredWhen, SchemaDescription } from '../contract-decorators.js';
import { defineContract } from '../message-contract.js';
import { TOPICS } from '../topics/topic-definition.js';

export const SEGMENT_EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentEventType = (typeof SEGMENT_EVENT_TYPES)[number];

export type JsonObject = Record<string, unknown>;

// Segment SDKs may send numeric ids; the CDP stores every id as a string.
const idToString = ({ value }: { value: unknown }): unknown => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value);

// Decorators register bottom-up and validation stops at a field's first failure,
// so each field's presence/type check is written last to be reported first.

/**
 * An event accepted by the CDP's collection API (Segment spec field names), as
 * the API hands it to the CDP's processors. Internal to the CDP: no other
 * service consumes raw events.
 */
@SchemaDescription('An event accepted by the CDP collection API (Segment spec field names). Internal to the CDP: no other service consumes raw events.')
export class RawEventV1 {
  @IsIn([1])
  schemaVersion!: 1;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  messageId!: string;

  @IsUUID()
  sourceId!: string;

  @IsIn(SEGMENT_EVENT_TYPES)
  type!: SegmentEventType;

  @SchemaDescription('track: the event name, e.g. `Order Completed`.')
  @ValidateIf((event: RawEventV1) => event.type === 'track')
  @RequiredWhen({ type: 'track' })
  @MaxLength(200)
  @IsNotEmpty({ message: 'event is required for track calls' })
  @IsString({ message: 'event is required for track calls and must be a string' })
  event?: string;

  @SchemaDescription('page / screen: the page or screen name.')
  @IsOptional()
  @IsString()
  @MaxLength(500)
  name?: string;

  @Transform(idToString)
  @ValidateIf((event: RawEventV1) => event.type === 'alias' || event.anonymousId === undefined)
  @RequiredWhen({ type: 'alias' }, { anonymousId: ABSENT })
  @MaxLength(256)
  @IsNotEmpty()
  @IsString({ message: 'userId or anonymousId is required (alias requires userId)' })
  userId?: string;

  @Transform(idToString)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  anonymousId?: string;

  @SchemaDescription('alias: the id the user had before.')
  @Transform(idToString)
  @ValidateIf((event: RawEventV1) => event.type === 'alias')
  @RequiredWhen({ type: 'alias' })
  @MaxLength(256)
  @IsNotEmpty()
  @IsString({ message: 'previousId is required for alias calls' })
  previousId?: string;

  @SchemaDescription('group: the account the user belongs to.')
  @Transform(idToString)
  @ValidateIf((event: RawEventV1) => event.type === 'group')
  @RequiredWhen({ type: 'group' })
  @MaxLength(256)
  @IsNotEmpty()
  @IsString({ message: 'groupId is required for group calls' })
  groupId?: string;

  @IsOptional()
  @IsObject()
  traits?: JsonObject;

  @IsOptional()
  @IsObject()
  properties?: JsonObject;

  @IsOptional()
  @IsObject()
  context?: JsonObject;

  @IsOptional()
  @IsObject()
  integrations?: JsonObject;

  @SchemaDescription('When it happened, corrected for client clock skew.')
  @IsISO8601({ strict: true })
  timestamp!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  originalTimestamp?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  sentAt?: string;

  @IsISO8601({ strict: true })
  receivedAt!: string;
}

export const rawEventV1 = defineContract({
  name: 'cdp.raw-event',
  schemaVersion: 1,
  topic: TOPICS.cdpRawEvents,
  valueClass: RawEventV1,
  // Keyed by the person's strongest id so one person's events stay in order.
  keyOf: (event) => event.userId ?? event.anonymousId ?? event.previousId ?? event.messageId,
  key: { description: 'The first of userId, anonymousId, previousId and messageId that is set, so the events of one person stay in order' },
});
