import type { RuleCondition } from '../rules/index.js';

export interface ExampleSegment {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly rule: RuleCondition;
}

/**
 * Segments retailers run on day one, as clients would submit them. They double as
 * documentation of the rule language and are checked by `parseSegmentRule` in the tests.
 */
export const EXAMPLE_SEGMENTS: readonly ExampleSegment[] = [
  {
    key: 'cart-abandoners',
    name: 'Cart abandoners',
    description:
      'Added a product in the last 7 days and has not ordered since, at least 24 hours after adding. ' +
      'The 24-hour wait keeps shoppers who are still checking out out of the reminder; any later order ends membership. ' +
      'A cart older than a week is cold, so it leaves the segment then.',
    rule: { event: 'Product Added', within: '7d', notFollowedBy: { event: 'Order Completed', within: '24h' } },
  },
  {
    key: 'high-value-customers',
    name: 'High-value customers',
    description:
      'Top fifth of customers by spend (RFM monetary score 5). A relative score adapts to the store, its currency and ' +
      'its growth, where a fixed amount such as a lifetime value of 500 needs retuning per shop and over time.',
    rule: { insight: 'rfmMonetary', op: 'eq', value: 5 },
  },
  {
    key: 'winter-jacket-browsers',
    name: 'Winter-jacket browsers',
    description: 'Viewed a product in the winter-jackets category at least once in the last 7 days.',
    rule: {
      event: 'Product Viewed',
      where: [{ property: 'category', op: 'eq', value: 'winter-jackets' }],
      count: { op: 'gte', value: 1 },
      within: '7d',
    },
  },
  {
    key: 'recent-purchasers',
    name: 'Recent purchasers',
    description: 'Completed an order in the last 72 hours; suppressed from acquisition ads so we do not pay to reach someone who just bought.',
    rule: { event: 'Order Completed', within: '72h' },
  },
  {
    key: 'at-risk-customers',
    name: 'At-risk customers',
    description: 'Customers (at least one order) whose predicted churn risk is 70% or more: the audience for win-back campaigns.',
    rule: {
      all: [
        { insight: 'churnRisk', op: 'gte', value: 0.7 },
        { insight: 'orderCount', op: 'gte', value: 1 },
      ],
    },
  },
  {
    key: 'discount-suppression-high-ltv',
    name: 'No discounts: high lifetime value',
    description:
      'Customers who buy at full price anyway (top spend score, or a lifetime value of 500 or more for stores without RFM scores yet): ' +
      'a discount would only cost margin. Those at risk of churning are left out, so win-back offers can still reach them.',
    rule: {
      all: [
        { any: [{ insight: 'rfmMonetary', op: 'eq', value: 5 }, { insight: 'lifetimeValue', op: 'gte', value: 500 }] },
        { not: { insight: 'churnRisk', op: 'gte', value: 0.7 } },
      ],
    },
  },
];
