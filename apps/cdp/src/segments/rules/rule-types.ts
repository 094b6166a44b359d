import type { InsightName } from './insight-fields.js';

/**
 * The rule language as API clients write it (JSON). `parseSegmentRule` checks a value
 * against these shapes and compiles it; these types also let code such as the example
 * segments write rules with the compiler's help.
 */
export const VALUE_OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'starts_with', 'exists', 'not_exists', 'within_last', 'before_last',
] as const;
export type ValueOperator = (typeof VALUE_OPERATORS)[number];

export const COUNT_OPERATORS = ['gte', 'lte', 'eq', 'gt', 'lt'] as const;
export type CountOperator = (typeof COUNT_OPERATORS)[number];

export type Scalar = string | number | boolean;

/** `<n>m`, `<n>h`, `<n>d` or `<n>w`: minutes, hours, days, weeks; at most 730 days. */
export type DurationText = `${number}${'m' | 'h' | 'd' | 'w'}`;

export type RuleValue = Scalar | readonly Scalar[];

export interface TraitRule {
  readonly trait: string;
  readonly op: ValueOperator;
  readonly value?: RuleValue;
}

export interface InsightRule {
  readonly insight: InsightName;
  readonly op: ValueOperator;
  readonly value?: RuleValue;
}

/** `granted: false` matches everyone who has not granted the purpose: denied or never asked. */
export interface ConsentRule {
  readonly consent: string;
  readonly granted: boolean;
}

export interface PropertyRule {
  readonly property: string;
  readonly op: ValueOperator;
  readonly value?: RuleValue;
}

export interface CountRule {
  readonly op: CountOperator;
  readonly value: number;
}

export interface FollowUpRule {
  readonly event: string;
  readonly where?: readonly PropertyRule[];
  readonly within: DurationText;
}

export interface EventRule {
  readonly event: string;
  readonly where?: readonly PropertyRule[];
  /** Defaults to `{ op: 'gte', value: 1 }`: at least once. */
  readonly count?: CountRule;
  /** Left out: over the whole history. */
  readonly within?: DurationText;
  readonly notFollowedBy?: FollowUpRule;
}

export interface AllRule {
  readonly all: readonly RuleCondition[];
}

export interface AnyRule {
  readonly any: readonly RuleCondition[];
}

export interface NotRule {
  readonly not: RuleCondition;
}

export type RuleCondition = AllRule | AnyRule | NotRule | TraitRule | InsightRule | ConsentRule | EventRule;

export interface RuleError {
  /** Where in the submitted rule, e.g. `rule.all[1].count.op`. */
  readonly path: string;
  readonly message: string;
}
