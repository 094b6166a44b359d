/**
 * Named RFM segments, from the widely used recency × frequency grid of ten segments
 * (Champions, Loyal Customers, …, Hibernating). The grid is defined on R and F; to let spend
 * count too, its F axis here is the combined frequency–monetary score FM = ⌈(F + M) / 2⌉
 * (the mean of F and M, halves rounded up).
 *
 *   R \ FM   1                2                    3                    4                5
 *   5        New Customers    Potential Loyalists  Potential Loyalists  Champions        Champions
 *   4        Promising        Potential Loyalists  Potential Loyalists  Loyal Customers  Loyal Customers
 *   3        About to Sleep   About to Sleep       Need Attention       Loyal Customers  Loyal Customers
 *   2        Hibernating      Hibernating          At Risk              At Risk          Can't Lose Them
 *   1        Hibernating      Hibernating          At Risk              At Risk          Can't Lose Them
 */
import type { RfmScore, RfmScoreValue } from './rfm.js';

export const RFM_SEGMENTS = [
  'Champions',
  'Loyal Customers',
  'Potential Loyalists',
  'New Customers',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  "Can't Lose Them",
  'Hibernating',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

// Rows are R = 1…5, columns FM = 1…5, as in the table above read bottom to top.
const GRID: readonly (readonly RfmSegment[])[] = [
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
  ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
  ['Promising', 'Potential Loyalists', 'Potential Loyalists', 'Loyal Customers', 'Loyal Customers'],
  ['New Customers', 'Potential Loyalists', 'Potential Loyalists', 'Champions', 'Champions'],
];

function assertScoreValue(name: string, value: number): asserts value is RfmScoreValue {
  if (!Number.isInteger(value) || value < 1 || value > 5) throw new RangeError(`RFM ${name} score must be an integer from 1 to 5, got ${value}`);
}

/** The segment of a customer's scores (see the grid above). */
export function rfmSegment(score: RfmScore): RfmSegment {
  assertScoreValue('recency', score.recency);
  assertScoreValue('frequency', score.frequency);
  assertScoreValue('monetary', score.monetary);
  const frequencyMonetary = Math.ceil((score.frequency + score.monetary) / 2);
  return GRID[score.recency - 1][frequencyMonetary - 1];
}
