export interface EventTimes {
  /** When the event happened, corrected for the sending device's clock skew. */
  readonly timestamp: string;
  /** The timestamp as the client sent it (its own clock), if it sent one. */
  readonly originalTimestamp: string | null;
  readonly sentAt: string | null;
  readonly receivedAt: string;
}

/**
 * Segment's clock-skew correction: a device whose clock is off stamps both
 * `timestamp` and `sentAt` with the same error, so the event time is
 * `receivedAt - (sentAt - timestamp)`. Without `sentAt` the client's timestamp is
 * used as it is; without a timestamp the event happened when it was received.
 */
export function correctEventTime(input: { timestamp?: string; sentAt?: string; receivedAt: Date }): EventTimes {
  const receivedAt = input.receivedAt.toISOString();
  const original = parseTime(input.timestamp);
  const sentAt = parseTime(input.sentAt);
  if (original === null) return { timestamp: receivedAt, originalTimestamp: null, sentAt: sentAt === null ? null : new Date(sentAt).toISOString(), receivedAt };
  const corrected = sentAt === null ? original : input.receivedAt.getTime() - (sentAt - original);
  return {
    timestamp: new Date(corrected).toISOString(),
    originalTimestamp: new Date(original).toISOString(),
    sentAt: sentAt === null ? null : new Date(sentAt).toISOString(),
    receivedAt,
  };
}

function parseTime(value: string | undefined): number | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}
