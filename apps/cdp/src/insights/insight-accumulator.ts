/**
 * A profile's behavioural insights, folded event by event. The state keeps only
 * aggregates (sums, counts, first/last times, daily email counters): never event
 * content. Applying an event is O(1) in the profile's history, so insights stay
 * current without recomputation; a merge recomputes the survivor by folding its
 * events again (`foldEvents`).
 */

/** What the accumulator needs of an event: the stored event's own fields and its source's channel. */
export interface InsightEvent {
  readonly type: string;
  readonly event: string | null;
  readonly timestamp: string;
  readonly properties: Readonly<Record<string, unknown>> | null;
  readonly channel: string;
}

export interface InsightState {
  /** Order revenue per ISO 4217 currency, never summed across currencies here. */
  readonly revenueByCurrency: Readonly<Record<string, number>>;
  readonly orderCount: number;
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  /** The most recent order ids, so an order sent twice (two messageIds) counts once. */
  readonly recentOrderIds: readonly string[];
  readonly lastSeenAt: string | null;
  readonly channels: readonly string[];
  readonly viewedCategories: Readonly<Record<string, number>>;
  readonly purchasedCategories: Readonly<Record<string, number>>;
  /** Email opens and clicks per UTC day (YYYY-MM-DD), the last 31 days only. */
  readonly emailByDay: Readonly<Record<string, { readonly opens: number; readonly clicks: number }>>;
}

export const EMPTY_INSIGHT_STATE: InsightState = {
  revenueByCurrency: {},
  orderCount: 0,
  firstOrderAt: null,
  lastOrderAt: null,
  recentOrderIds: [],
  lastSeenAt: null,
  channels: [],
  viewedCategories: {},
  purchasedCategories: {},
  emailByDay: {},
};

/** Segment e-commerce and email spec event names the insights read. */
export const INSIGHT_EVENT_NAMES = {
  orderCompleted: 'Order Completed',
  productViewed: 'Product Viewed',
  emailOpened: 'Email Opened',
  emailClicked: 'Email Link Clicked',
} as const;

const RECENT_ORDER_IDS = 200;
const EMAIL_DAYS_KEPT = 31;
const MAX_CHANNELS = 20;
const MAX_CATEGORIES = 50;
const DAY_MS = 86_400_000;

export interface InsightSettings {
  /** Currency assumed for an order that names none (ISO 4217). */
  readonly defaultCurrency: string;
}

/** Folds one event into the state; returns the same object when nothing changed. */
export function applyInsightEvent(state: InsightState, event: InsightEvent, settings: InsightSettings): InsightState {
  let next: InsightState = state;
  const update = (patch: Partial<InsightState>): void => {
    next = { ...next, ...patch };
  };
  if (state.lastSeenAt === null || event.timestamp > state.lastSeenAt) update({ lastSeenAt: event.timestamp });
  if (!state.channels.includes(event.channel) && state.channels.length < MAX_CHANNELS) update({ channels: [...state.channels, event.channel].sort() });
  if (event.type !== 'track' || event.event === null) return next;
  const properties = event.properties ?? {};

  switch (event.event) {
    case INSIGHT_EVENT_NAMES.orderCompleted: {
      const orderId = stringOf(properties['order_id']) ?? stringOf(properties['orderId']);
      if (orderId !== null && state.recentOrderIds.includes(orderId)) return next;
      const revenue = orderRevenue(properties);
      const currency = (stringOf(properties['currency']) ?? settings.defaultCurrency).toUpperCase();
      update({
        revenueByCurrency: revenue > 0 ? { ...state.revenueByCurrency, [currency]: round2((state.revenueByCurrency[currency] ?? 0) + revenue) } : state.revenueByCurrency,
        orderCount: state.orderCount + 1,
        firstOrderAt: state.firstOrderAt === null || event.timestamp < state.firstOrderAt ? event.timestamp : state.firstOrderAt,
        lastOrderAt: state.lastOrderAt === null || event.timestamp > state.lastOrderAt ? event.timestamp : state.lastOrderAt,
        recentOrderIds: orderId === null ? state.recentOrderIds : [...state.recentOrderIds, orderId].slice(-RECENT_ORDER_IDS),
        purchasedCategories: countCategories(state.purchasedCategories, productCategories(properties)),
      });
      return next;
    }
    case INSIGHT_EVENT_NAMES.productViewed:
      update({ viewedCategories: countCategories(state.viewedCategories, productCategories(properties)) });
      return next;
    case INSIGHT_EVENT_NAMES.emailOpened:
    case INSIGHT_EVENT_NAMES.emailClicked: {
      const day = event.timestamp.slice(0, 10);
      const held = state.emailByDay[day] ?? { opens: 0, clicks: 0 };
      const counted = event.event === INSIGHT_EVENT_NAMES.emailOpened ? { ...held, opens: held.opens + 1 } : { ...held, clicks: held.clicks + 1 };
      update({ emailByDay: keepRecentDays({ ...state.emailByDay, [day]: counted }) });
      return next;
    }
    default:
      return next;
  }
}

/** Folds events, oldest first, into a state: the empty one recomputes a profile's whole history (after a merge). */
export function foldEvents(events: Iterable<InsightEvent>, settings: InsightSettings, from: InsightState = EMPTY_INSIGHT_STATE): InsightState {
  let state = from;
  for (const event of events) state = applyInsightEvent(state, event, settings);
  return state;
}

/** Currency conversion into the reporting currency: units of the reporting currency per unit of each other currency. */
export interface CurrencySettings {
  readonly reportingCurrency: string;
  readonly ratesToReporting: Readonly<Record<string, number>>;
}

export interface BehaviouralInsights {
  readonly currency: string;
  readonly lifetimeValue: number;
  /** Revenue in currencies without a configured rate: kept out of lifetimeValue rather than guessed. */
  readonly unconvertedRevenue: Readonly<Record<string, number>>;
  readonly orderCount: number;
  readonly averageOrderValue: number | null;
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  readonly daysSinceLastOrder: number | null;
  readonly lastSeenAt: string | null;
  readonly channels: readonly string[];
  readonly topViewedCategory: string | null;
  readonly topPurchasedCategory: string | null;
  readonly emailOpens30d: number;
  readonly emailClicks30d: number;
}

/** The values a consumer sees, at `now`: money in the reporting currency, windows counted back from now. */
export function behaviouralInsights(state: InsightState, now: Date, currency: CurrencySettings): BehaviouralInsights {
  let lifetimeValue = 0;
  const unconvertedRevenue: Record<string, number> = {};
  for (const [code, amount] of Object.entries(state.revenueByCurrency)) {
    const rate = code === currency.reportingCurrency ? 1 : currency.ratesToReporting[code];
    if (rate === undefined) unconvertedRevenue[code] = amount;
    else lifetimeValue += amount * rate;
  }
  lifetimeValue = round2(lifetimeValue);
  const since = new Date(now.getTime() - 30 * DAY_MS).toISOString().slice(0, 10);
  let emailOpens30d = 0;
  let emailClicks30d = 0;
  for (const [day, counts] of Object.entries(state.emailByDay)) {
    if (day <= since) continue;
    emailOpens30d += counts.opens;
    emailClicks30d += counts.clicks;
  }
  return {
    currency: currency.reportingCurrency,
    lifetimeValue,
    unconvertedRevenue,
    orderCount: state.orderCount,
    averageOrderValue: state.orderCount > 0 ? round2(lifetimeValue / state.orderCount) : null,
    firstOrderAt: state.firstOrderAt,
    lastOrderAt: state.lastOrderAt,
    daysSinceLastOrder: state.lastOrderAt === null ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(state.lastOrderAt)) / DAY_MS)),
    lastSeenAt: state.lastSeenAt,
    channels: state.channels,
    topViewedCategory: topOf(state.viewedCategories),
    topPurchasedCategory: topOf(state.purchasedCategories),
    emailOpens30d,
    emailClicks30d,
  };
}

/** Segment spec: `revenue` (or `total`, or `value`) of the order; negative or missing counts as 0. */
function orderRevenue(properties: Readonly<Record<string, unknown>>): number {
  for (const field of ['revenue', 'total', 'value']) {
    const value = properties[field];
    const amount = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (Number.isFinite(amount)) return Math.max(0, amount);
  }
  return 0;
}

/** `properties.category`, or each of `properties.products[].category`. */
function productCategories(properties: Readonly<Record<string, unknown>>): string[] {
  const categories: string[] = [];
  const own = stringOf(properties['category']);
  if (own !== null) categories.push(own);
  const products = properties['products'];
  if (Array.isArray(products)) {
    for (const product of products) {
      if (typeof product === 'object' && product !== null) {
        const category = stringOf((product as Record<string, unknown>)['category']);
        if (category !== null) categories.push(category);
      }
    }
  }
  return categories.map((category) => category.slice(0, 200));
}

function countCategories(counts: Readonly<Record<string, number>>, categories: readonly string[]): Readonly<Record<string, number>> {
  if (categories.length === 0) return counts;
  const next: Record<string, number> = { ...counts };
  for (const category of categories) {
    if (next[category] === undefined && Object.keys(next).length >= MAX_CATEGORIES) continue;
    next[category] = (next[category] ?? 0) + 1;
  }
  return next;
}

/** The most counted key; ties go to the alphabetically first, so the answer is stable. */
function topOf(counts: Readonly<Record<string, number>>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, count] of Object.entries(counts)) {
    if (count > bestCount || (count === bestCount && best !== null && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

function keepRecentDays(byDay: Record<string, { opens: number; clicks: number }>): Record<string, { opens: number; clicks: number }> {
  const days = Object.keys(byDay).sort();
  if (days.length <= EMAIL_DAYS_KEPT) return byDay;
  return Object.fromEntries(days.slice(-EMAIL_DAYS_KEPT).map((day) => [day, byDay[day] as { opens: number; clicks: number }]));
}

function stringOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
