import { describe, expect, it } from '@jest/globals';
import { ndjsonLineToEvent, orderRowToEvent } from './import-records.js';

describe('historical import records', () => {
  it('maps an orders CSV row to an Order Completed event keyed by the order id', () => {
    const result = orderRowToEvent({ order_id: 'A-17', timestamp: '2024-03-01T10:15:00Z', total: '129.90', currency: 'eur', email: 'jane@example.com', store: 'leeds' }, 'pos');
    expect(result).toEqual({
      event: {
        type: 'track',
        event: 'Order Completed',
        messageId: 'pos-order-A-17',
        anonymousId: 'pos-order-A-17',
        timestamp: '2024-03-01T10:15:00.000Z',
        properties: { order_id: 'A-17', revenue: 129.9, total: 129.9, currency: 'EUR', store: 'leeds' },
        context: { traits: { email: 'jane@example.com' } },
      },
    });
  });

  it('uses the user id when the row has one', () => {
    const result = orderRowToEvent({ order_id: '1', timestamp: '2024-03-01', total: '5', currency: 'GBP', user_id: 'u-9' }, 'shop');
    expect(result).toMatchObject({ event: { userId: 'u-9' } });
  });

  it('names every problem of a bad row', () => {
    expect(orderRowToEvent({ order_id: '', timestamp: 'yesterday', total: 'ten', currency: 'euro' }, 'shop')).toEqual({
      errors: [
        'order_id: is required',
        'timestamp: must be an ISO 8601 date-time',
        'total: must be a number such as 49.90',
        'currency: must be a 3-letter ISO 4217 code such as EUR',
        'user_id or email: one is required to know whose order it is',
      ],
    });
  });

  it('passes an NDJSON event through and refuses a line that is not a JSON object', () => {
    expect(ndjsonLineToEvent('{"type":"track","event":"X","userId":"u"}')).toEqual({ event: { type: 'track', event: 'X', userId: 'u' } });
    expect(ndjsonLineToEvent('{"type":')).toEqual({ errors: ['not valid JSON'] });
    expect(ndjsonLineToEvent('[1,2]')).toEqual({ errors: ['not a JSON object'] });
  });
});
