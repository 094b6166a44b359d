import { describe, expect, it } from '@jest/globals';
import { applyInsightEvent, behaviouralInsights, EMPTY_INSIGHT_STATE, foldEvents, type InsightEvent } from './insight-accumulator.js';

const settings = { defaultCurrency: 'EUR' };
const currency = { reportingCurrency: 'EUR', ratesToReporting: { USD: 0.5 } };
const now = new Date('2026-11-23T12:00:00.000Z');

function track(event: string, timestamp: string, properties: Record<string, unknown> = {}, channel = 'web'): InsightEvent {
  return { type: 'track', event, timestamp, properties, channel };
}

describe('insight accumulation', () => {
  it('sums order revenue per currency and converts into the reporting currency at read time', () => {
    const state = foldEvents(
      [
        track('Order Completed', '2026-11-01T10:00:00.000Z', { order_id: 'o1', revenue: 100, currency: 'EUR' }),
        track('Order Completed', '2026-11-10T10:00:00.000Z', { order_id: 'o2', total: '40', currency: 'usd' }, 'pos'),
      ],
      settings,
    );
    expect(state.revenueByCurrency).toEqual({ EUR: 100, USD: 40 });
    expect(behaviouralInsights(state, now, currency)).toMatchObject({
      currency: 'EUR',
      lifetimeValue: 120,
      orderCount: 2,
      averageOrderValue: 60,
      firstOrderAt: '2026-11-01T10:00:00.000Z',
      lastOrderAt: '2026-11-10T10:00:00.000Z',
      daysSinceLastOrder: 13,
      channels: ['pos', 'web'],
    });
  });

  it('keeps revenue in a currency without a rate out of the lifetime value, and says so', () => {
    const state = foldEvents([track('Order Completed', '2026-11-01T10:00:00.000Z', { revenue: 30, currency: 'JPY' })], settings);
    expect(behaviouralInsights(state, now, currency)).toMatchObject({ lifetimeValue: 0, unconvertedRevenue: { JPY: 30 }, orderCount: 1 });
  });

  it('assumes the default currency for an order that names none', () => {
    const state = foldEvents([track('Order Completed', '2026-11-01T10:00:00.000Z', { revenue: 12.5 })], settings);
    expect(state.revenueByCurrency).toEqual({ EUR: 12.5 });
  });

  it('counts an order sent twice under two messageIds once, by its order_id', () => {
    const order = track('Order Completed', '2026-11-01T10:00:00.000Z', { order_id: 'o1', revenue: 50 });
    const state = foldEvents([order, { ...order, timestamp: '2026-11-01T10:00:05.000Z' }], settings);
    expect(state.orderCount).toBe(1);
    expect(state.revenueByCurrency).toEqual({ EUR: 50 });
  });

  it('keeps first and last order dates right when an older order arrives late', () => {
    const state = foldEvents(
      [track('Order Completed', '2026-11-10T10:00:00.000Z', { revenue: 1 }), track('Order Completed', '2026-10-01T10:00:00.000Z', { revenue: 1 })],
      settings,
    );
    expect([state.firstOrderAt, state.lastOrderAt]).toEqual(['2026-10-01T10:00:00.000Z', '2026-11-10T10:00:00.000Z']);
    expect(state.lastSeenAt).toBe('2026-11-10T10:00:00.000Z');
  });

  it('finds the most viewed and the most purchased category, from products too', () => {
    const state = foldEvents(
      [
        track('Product Viewed', '2026-11-01T10:00:00.000Z', { category: 'winter-jackets' }),
        track('Product Viewed', '2026-11-01T10:01:00.000Z', { category: 'winter-jackets' }),
        track('Product Viewed', '2026-11-01T10:02:00.000Z', { category: 'boots' }),
        track('Order Completed', '2026-11-01T10:05:00.000Z', { revenue: 10, products: [{ category: 'boots' }, { category: 'socks' }, { category: 'boots' }] }),
      ],
      settings,
    );
    expect(behaviouralInsights(state, now, currency)).toMatchObject({ topViewedCategory: 'winter-jackets', topPurchasedCategory: 'boots' });
  });

  it('counts email opens and clicks of the last 30 days only', () => {
    const state = foldEvents(
      [
        track('Email Opened', '2026-10-01T10:00:00.000Z', {}, 'email'),
        track('Email Opened', '2026-11-20T10:00:00.000Z', {}, 'email'),
        track('Email Opened', '2026-11-21T10:00:00.000Z', {}, 'email'),
        track('Email Link Clicked', '2026-11-21T10:01:00.000Z', {}, 'email'),
      ],
      settings,
    );
    expect(behaviouralInsights(state, now, currency)).toMatchObject({ emailOpens30d: 2, emailClicks30d: 1 });
    expect(behaviouralInsights(state, new Date('2026-12-25T00:00:00.000Z'), currency)).toMatchObject({ emailOpens30d: 0, emailClicks30d: 0 });
  });

  it('returns the same state object when an event changes nothing, so callers can skip writing', () => {
    const state = applyInsightEvent(EMPTY_INSIGHT_STATE, track('Page Loaded', '2026-11-01T10:00:00.000Z'), settings);
    expect(applyInsightEvent(state, { type: 'page', event: null, timestamp: '2026-10-01T00:00:00.000Z', properties: null, channel: 'web' }, settings)).toBe(state);
  });

  it('reports no average order value and no recency for a customer who never ordered', () => {
    expect(behaviouralInsights(EMPTY_INSIGHT_STATE, now, currency)).toMatchObject({ orderCount: 0, averageOrderValue: null, daysSinceLastOrder: null, topViewedCategory: null });
  });
});
