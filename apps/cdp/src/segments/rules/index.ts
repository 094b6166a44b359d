export type { CompiledCondition, SegmentRule } from './compiled-rule.js';
export { describeEventNeeds, type EventNeeds } from './event-needs.js';
export { evaluateSegmentRule } from './evaluate-segment-rule.js';
export { INSIGHT_FIELDS, INSIGHT_NAMES, isInsightName, type InsightField, type InsightName, type InsightValueKind } from './insight-fields.js';
export { RULE_LIMITS } from './limits.js';
export { parseSegmentRule, type ParseSegmentRuleResult } from './parse-segment-rule.js';
export type {
  AllRule,
  AnyRule,
  ConsentRule,
  CountOperator,
  CountRule,
  DurationText,
  EventRule,
  FollowUpRule,
  InsightRule,
  NotRule,
  PropertyRule,
  RuleCondition,
  RuleError,
  RuleValue,
  Scalar,
  TraitRule,
  ValueOperator,
} from './rule-types.js';
export { COUNT_OPERATORS, VALUE_OPERATORS } from './rule-types.js';
export type { SegmentEvaluation, SegmentEvent, SegmentSubject } from './segment-subject.js';
