/**
 * RFM scoring: each customer gets 1–5 on recency, frequency and monetary value by quintile of the
 * customer base, 5 being best (most recent, most frequent, highest spend).
 *
 * Quintile of a tied value: a customer's position in the base, ordered from worst to best, is
 * the middle of its group of equal values (mid-rank); the score is the quintile that position
 * falls in, score = ⌈5 · (worse + equal / 2) / n⌉, a value exactly on a quintile border taking
 * the lower one. So equal values always score the same, a distinct-valued base splits into five
 * equal groups, scoring is symmetric between "higher is better" and "lower is better", and a
 * base where everyone is alike scores everyone 3 rather than all 1 or all 5.
 *
 * Small bases: the same rule, so 1 customer scores 3; 2 score 2 and 4; 3 score 1, 3 and 5;
 * 4 score 1, 2, 4 and 5. An empty base gives every customer 3 (nothing to compare with).
 *
 * Customers with no orders (frequency 0) have no recency and are not part of the base: they are
 * left out of the boundaries and scoreRfm returns null for them.
 *
 * For a scheduler: computeRfmBoundaries runs once over the whole base (the per-customer
 * aggregates from SQL) and returns a small JSON-safe object; scoreRfm then scores any profile
 * against it, including new ones whose values the base never had (their position is the share of
 * the base they beat).
 */

export type RfmScoreValue = 1 | 2 | 3 | 4 | 5;
export type BetterDirection = 'higher' | 'lower';

/** Where a score starts: values better than `value` (or equal to it, when inclusive) reach it. */
export interface RfmThreshold {
  readonly value: number;
  readonly inclusive: boolean;
}

/** Entry k is where score k + 2 starts, so four entries, in order from worst to best; none for an empty base. */
export type QuintileThresholds = readonly RfmThreshold[];

export interface RfmCustomer {
  /** Days since the last order; null when the customer has never ordered. */
  readonly recencyDays: number | null;
  /** Number of orders. */
  readonly frequency: number;
  /** Revenue, total or per order: whichever the caller uses, the same for the base and each customer. */
  readonly monetary: number;
}

export interface RfmBoundaries {
  /** Customers with at least one order that the boundaries were computed from. */
  readonly population: number;
  readonly recency: QuintileThresholds;
  readonly frequency: QuintileThresholds;
  readonly monetary: QuintileThresholds;
}

export interface RfmScore {
  readonly recency: RfmScoreValue;
  readonly frequency: RfmScoreValue;
  readonly monetary: RfmScoreValue;
}

const NEUTRAL_SCORE: RfmScoreValue = 3;

/** The quintile (1–5) of a position given as twice the mid-rank, in integers so that borders are exact. */
function quintileOf(twiceMidRank: number, population: number): RfmScoreValue {
  const score = Math.ceil((5 * twiceMidRank) / (2 * population));
  return Math.min(5, Math.max(1, score)) as RfmScoreValue;
}

/** Score-change points of one dimension over the whole base (see the file comment for the rule). */
export function computeQuintileThresholds(values: readonly number[], better: BetterDirection): QuintileThresholds {
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`RFM values must be finite numbers, got ${value}`);
  const worstFirst = Float64Array.from(values).sort();
  if (better === 'lower') worstFirst.reverse();
  const n = worstFirst.length;
  const thresholds: RfmThreshold[] = [];
  let worse = 0;
  for (let start = 0; start < n; ) {
    const value = worstFirst[start] + 0; // + 0 turns −0 into 0, so stored thresholds have one zero.
    let end = start;
    while (end < n && worstFirst[end] === value) end++;
    const equal = end - start;
    // Score of this value itself, and of any value just better than it but not in the base.
    const scoreAt = quintileOf(2 * worse + equal, n);
    const scoreJustBetter = quintileOf(2 * (worse + equal), n);
    while (thresholds.length < 4 && scoreAt >= thresholds.length + 2) thresholds.push({ value, inclusive: true });
    while (thresholds.length < 4 && scoreJustBetter >= thresholds.length + 2) thresholds.push({ value, inclusive: false });
    worse += equal;
    start = end;
  }
  return thresholds;
}

/** The 1–5 score of one value against a dimension's thresholds. */
export function scoreQuintile(thresholds: QuintileThresholds, value: number, better: BetterDirection): RfmScoreValue {
  if (!Number.isFinite(value)) throw new RangeError(`RFM values must be finite numbers, got ${value}`);
  if (thresholds.length === 0) return NEUTRAL_SCORE;
  if (thresholds.length !== 4) throw new RangeError(`RFM thresholds must have 4 entries (or none for an empty base), got ${thresholds.length}`);
  let score = 1;
  for (const threshold of thresholds) {
    const beats = better === 'higher' ? value > threshold.value : value < threshold.value;
    if (beats || (threshold.inclusive && value === threshold.value)) score++;
  }
  return score as RfmScoreValue;
}

/** Throws unless the aggregates are consistent; returns whether the customer has ordered at all. */
function hasOrders(customer: RfmCustomer): customer is RfmCustomer & { readonly recencyDays: number } {
  const { recencyDays, frequency, monetary } = customer;
  if (!Number.isInteger(frequency) || frequency < 0) throw new RangeError(`RFM frequency must be a non-negative integer, got ${frequency}`);
  if (frequency === 0) return false;
  if (recencyDays === null || !Number.isFinite(recencyDays) || recencyDays < 0) {
    throw new RangeError(`RFM recencyDays must be a finite number ≥ 0 for a customer with orders, got ${recencyDays}`);
  }
  if (!Number.isFinite(monetary)) throw new RangeError(`RFM monetary must be a finite number, got ${monetary}`);
  return true;
}

/** Quintile boundaries of the whole base; customers without orders are left out. */
export function computeRfmBoundaries(customers: readonly RfmCustomer[]): RfmBoundaries {
  const base = customers.filter(hasOrders);
  return {
    population: base.length,
    recency: computeQuintileThresholds(base.map((customer) => customer.recencyDays), 'lower'),
    frequency: computeQuintileThresholds(base.map((customer) => customer.frequency), 'higher'),
    monetary: computeQuintileThresholds(base.map((customer) => customer.monetary), 'higher'),
  };
}

/** The customer's R, F and M scores against the base's boundaries; null for a customer with no orders. */
export function scoreRfm(boundaries: RfmBoundaries, customer: RfmCustomer): RfmScore | null {
  if (!hasOrders(customer)) return null;
  return {
    recency: scoreQuintile(boundaries.recency, customer.recencyDays, 'lower'),
    frequency: scoreQuintile(boundaries.frequency, customer.frequency, 'higher'),
    monetary: scoreQuintile(boundaries.monetary, customer.monetary, 'higher'),
  };
}
