/** One input record turned into a Segment event, or the reasons it could not be. */
export type RecordResult = { readonly event: Record<string, unknown> } | { readonly errors: readonly string[] };

/** A line of NDJSON: one Segment event (with its `type`), sent as it is. */
export function ndjsonLineToEvent(line: string): RecordResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { errors: ['not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { errors: ['not a JSON object'] };
  return { event: parsed as Record<string, unknown> };
}

export const ORDER_COLUMNS = ['order_id', 'timestamp', 'total', 'currency'] as const;

/**
 * A row of an orders CSV (a shop's or a till's export) as an `Order Completed`
 * event. Required: order_id, timestamp (ISO 8601), total, currency (ISO 4217), and
 * user_id or email. Optional: phone, store. The messageId is derived from the
 * order id, so importing the same file twice stores each order once.
 */
export function orderRowToEvent(row: Readonly<Record<string, string | undefined>>, source: string): RecordResult {
  const errors: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = row[name]?.trim();
    return raw ? raw : undefined;
  };
  const orderId = value('order_id');
  const timestamp = value('timestamp');
  const total = value('total');
  const currency = value('currency')?.toUpperCase();
  const userId = value('user_id');
  const email = value('email');
  if (!orderId) errors.push('order_id: is required');
  if (!timestamp || Number.isNaN(Date.parse(timestamp))) errors.push('timestamp: must be an ISO 8601 date-time');
  if (!total || !/^-?\d+(\.\d+)?$/.test(total)) errors.push('total: must be a number such as 49.90');
  if (!currency || !/^[A-Z]{3}$/.test(currency)) errors.push('currency: must be a 3-letter ISO 4217 code such as EUR');
  if (!userId && !email) errors.push('user_id or email: one is required to know whose order it is');
  if (errors.length > 0) return { errors };
  const traits: Record<string, string> = {};
  if (email) traits['email'] = email;
  const phone = value('phone');
  if (phone) traits['phone'] = phone;
  return {
    event: {
      type: 'track',
      event: 'Order Completed',
      messageId: `${source}-order-${orderId}`,
      ...(userId ? { userId } : { anonymousId: `${source}-order-${orderId}` }),
      timestamp: new Date(timestamp as string).toISOString(),
      properties: { order_id: orderId, revenue: Number(total), total: Number(total), currency, ...(value('store') ? { store: value('store') } : {}) },
      context: { traits },
    },
  };
}
