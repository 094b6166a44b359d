import type { InsightName } from './insight-fields.js';
import type { PropertyPath } from './property-path.js';
import type { CountOperator, RuleCondition } from './rule-types.js';
import type { ValueTest } from './value-test.js';

/**
 * The form the evaluator runs: durations in milliseconds, paths split, operands parsed,
 * children of all/any ordered cheap-first. Built only by `parseSegmentRule`.
 */
export type CompiledCondition = CompiledAll | CompiledAny | CompiledNot | CompiledTrait | CompiledInsight | CompiledConsent | CompiledEvent;

export interface CompiledAll {
  readonly kind: 'all';
  readonly children: readonly CompiledCondition[];
}

export interface CompiledAny {
  readonly kind: 'any';
  readonly children: readonly CompiledCondition[];
}

export interface CompiledNot {
  readonly kind: 'not';
  readonly child: CompiledCondition;
}

export interface CompiledTrait {
  readonly kind: 'trait';
  readonly path: PropertyPath;
  readonly test: ValueTest;
}

export interface CompiledInsight {
  readonly kind: 'insight';
  readonly name: InsightName;
  readonly test: ValueTest;
}

export interface CompiledConsent {
  readonly kind: 'consent';
  readonly purpose: string;
  readonly granted: boolean;
}

export interface CompiledPropertyTest {
  readonly path: PropertyPath;
  readonly test: ValueTest;
}

export interface CompiledCount {
  readonly op: CountOperator;
  readonly value: number;
}

export interface CompiledFollowUp {
  readonly event: string;
  readonly where: readonly CompiledPropertyTest[];
  /** How long an occurrence waits for the follow-up before it counts. */
  readonly waitMs: number;
}

export interface CompiledEvent {
  readonly kind: 'event';
  readonly event: string;
  readonly where: readonly CompiledPropertyTest[];
  readonly count: CompiledCount;
  /** Null: the whole history. */
  readonly windowMs: number | null;
  readonly followUp: CompiledFollowUp | null;
}

export interface SegmentRule {
  /** The rule as submitted (validated copy), for storing and showing back to clients. */
  readonly definition: RuleCondition;
  readonly root: CompiledCondition;
}
