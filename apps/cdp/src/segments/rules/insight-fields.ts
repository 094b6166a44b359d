/**
 * The insights a segment rule may name, with the kind of value each holds. The validator
 * refuses other names and type-mismatched values, so a typo such as `lifetimeValu` is an
 * API error instead of a segment that silently never matches.
 */
export type InsightValueKind = 'number' | 'integer' | 'date' | 'string' | 'string[]';

export interface InsightField {
  readonly kind: InsightValueKind;
  /** Inclusive bounds of the values the insight can take, where they exist. */
  readonly min?: number;
  readonly max?: number;
}

const probability = { kind: 'number', min: 0, max: 1 } as const;
const rfmScore = { kind: 'integer', min: 1, max: 5 } as const;

export const INSIGHT_FIELDS = {
  lifetimeValue: { kind: 'number' },
  orderCount: { kind: 'integer', min: 0 },
  averageOrderValue: { kind: 'number' },
  firstOrderAt: { kind: 'date' },
  lastOrderAt: { kind: 'date' },
  daysSinceLastOrder: { kind: 'integer', min: 0 },
  lastSeenAt: { kind: 'date' },
  channels: { kind: 'string[]' },
  topViewedCategory: { kind: 'string' },
  topPurchasedCategory: { kind: 'string' },
  emailOpens30d: { kind: 'integer', min: 0 },
  emailClicks30d: { kind: 'integer', min: 0 },
  rfmRecency: rfmScore,
  rfmFrequency: rfmScore,
  rfmMonetary: rfmScore,
  rfmSegment: { kind: 'string' },
  predictedLifetimeValue: { kind: 'number' },
  probabilityAlive: probability,
  churnRisk: probability,
  purchaseProbability30d: probability,
} as const satisfies Record<string, InsightField>;

export type InsightName = keyof typeof INSIGHT_FIELDS;

export const INSIGHT_NAMES = Object.keys(INSIGHT_FIELDS) as readonly InsightName[];

export function isInsightName(name: string): name is InsightName {
  // hasOwn, not `in`: `constructor` or `toString` must not pass as insights.
  return Object.hasOwn(INSIGHT_FIELDS, name);
}

export function insightField(name: InsightName): InsightField {
  return INSIGHT_FIELDS[name];
}
