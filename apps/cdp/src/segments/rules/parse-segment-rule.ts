import type { CompiledCondition, SegmentRule } from './compiled-rule.js';
import { compileValueTest } from './compile-value-test.js';
import { INSIGHT_NAMES, insightField, isInsightName, type InsightValueKind } from './insight-fields.js';
import { RULE_LIMITS } from './limits.js';
import { checkKeys, childPath, isRecord, itemPath, listOf, readName, RuleParseContext } from './parse-context.js';
import { EVENT_KEYS, parseEventCondition } from './parse-event-condition.js';
import { compilePropertyPath, PROPERTY_PATH_HINT } from './property-path.js';
import type { RuleCondition, RuleError } from './rule-types.js';

export type ParseSegmentRuleResult = { ok: true; rule: SegmentRule } | { ok: false; errors: RuleError[] };

const KEYS_BY_KIND = {
  all: ['all'],
  any: ['any'],
  not: ['not'],
  trait: ['trait', 'op', 'value'],
  insight: ['insight', 'op', 'value'],
  consent: ['consent', 'granted'],
  event: EVENT_KEYS,
} as const satisfies Record<string, readonly string[]>;

type ConditionKind = keyof typeof KEYS_BY_KIND;
const CONDITION_KINDS = Object.keys(KEYS_BY_KIND) as ConditionKind[];

const CONDITION_HINT = 'must be a condition object with one of the keys all, any, not, trait, insight, consent, event';

/**
 * Validates a rule as a client sent it and compiles it for `evaluateSegmentRule`.
 * Reports every problem it finds, each with the path of the offending part
 * (`rule.all[1].count.op`) and what is allowed there.
 */
export function parseSegmentRule(input: unknown): ParseSegmentRuleResult {
  const context = new RuleParseContext();
  const root = parseCondition(input, 'rule', 1, context);
  if (root === null || context.errors.length > 0) return { ok: false, errors: context.errors };
  // Validated input holds only plain objects, arrays and primitives, so a clone is exact
  // and the caller may go on mutating what it passed in.
  return { ok: true, rule: { definition: structuredClone(input) as RuleCondition, root } };
}

function parseCondition(input: unknown, path: string, depth: number, context: RuleParseContext): CompiledCondition | null {
  if (!isRecord(input)) {
    context.report(path, CONDITION_HINT);
    return null;
  }
  // Checked before descending, so neither a deep nor a wide rule costs more than the limits.
  if (depth > RULE_LIMITS.maxDepth) {
    context.report(path, `is nested too deeply: conditions may be nested at most ${RULE_LIMITS.maxDepth} levels`);
    return null;
  }
  context.conditions += 1;
  if (context.conditions > RULE_LIMITS.maxConditions) {
    if (context.conditions === RULE_LIMITS.maxConditions + 1) context.report(path, `is one condition too many: a rule may hold at most ${RULE_LIMITS.maxConditions} conditions`);
    return null;
  }
  const kinds = CONDITION_KINDS.filter((kind) => Object.hasOwn(input, kind));
  if (kinds.length !== 1) {
    context.report(path, kinds.length === 0 ? CONDITION_HINT : `must have only one of the keys all, any, not, trait, insight, consent, event; found ${kinds.join(' and ')}`);
    return null;
  }
  const kind = kinds[0] as ConditionKind;
  const keysClean = checkKeys(input, KEYS_BY_KIND[kind], path, context);
  const condition = parseKind(kind, input, path, depth, context);
  return keysClean ? condition : null;
}

function parseKind(kind: ConditionKind, input: Record<string, unknown>, path: string, depth: number, context: RuleParseContext): CompiledCondition | null {
  switch (kind) {
    case 'all':
    case 'any': {
      const children = parseList(input[kind], childPath(path, kind), depth, context);
      return children && { kind, children };
    }
    case 'not': {
      const child = parseCondition(input['not'], childPath(path, 'not'), depth + 1, context);
      return child && { kind: 'not', child };
    }
    case 'trait': {
      const name = readName(input, 'trait', path, context);
      const traitPath = name === null ? null : compilePropertyPath(name);
      if (name !== null && traitPath === null) context.report(childPath(path, 'trait'), PROPERTY_PATH_HINT);
      const test = compileValueTest(input, { kind: 'any', timeOperators: true }, path, context);
      return traitPath && test && { kind: 'trait', path: traitPath, test };
    }
    case 'insight':
      return parseInsight(input, path, context);
    case 'consent': {
      const purpose = readName(input, 'consent', path, context);
      const granted = input['granted'];
      if (typeof granted !== 'boolean') context.report(childPath(path, 'granted'), 'must be true or false');
      return purpose !== null && typeof granted === 'boolean' ? { kind: 'consent', purpose, granted } : null;
    }
    case 'event':
      return parseEventCondition(input, path, context);
  }
}

function parseList(input: unknown, path: string, depth: number, context: RuleParseContext): CompiledCondition[] | null {
  if (!Array.isArray(input) || input.length === 0) {
    context.report(path, 'must be a list of at least one condition');
    return null;
  }
  if (input.length > RULE_LIMITS.maxConditions) {
    context.report(path, `must hold at most ${RULE_LIMITS.maxConditions} conditions`);
    return null;
  }
  const children: CompiledCondition[] = [];
  let clean = true;
  input.forEach((item: unknown, index) => {
    const child = parseCondition(item, itemPath(path, index), depth + 1, context);
    if (child) children.push(child);
    else clean = false;
  });
  // all/any are commutative, so cheap conditions go first: a decisive trait or consent
  // check then spares the scan over the profile's events.
  return clean ? children.sort((a, b) => cost(a) - cost(b)) : null;
}

function parseInsight(input: Record<string, unknown>, path: string, context: RuleParseContext): CompiledCondition | null {
  const name = input['insight'];
  if (typeof name !== 'string' || !isInsightName(name)) {
    context.report(childPath(path, 'insight'), `must be one of the known insights: ${listOf(INSIGHT_NAMES)}`);
    // Still check the operator's shape, to report everything in one go.
    compileValueTest(input, { kind: 'any', timeOperators: true }, path, context);
    return null;
  }
  const field = insightField(name);
  const test = compileValueTest(input, { ...field, timeOperators: true, note: `insight ${name} holds ${describeKind(field.kind)}` }, path, context);
  return test && { kind: 'insight', name, test };
}

function describeKind(kind: InsightValueKind): string {
  switch (kind) {
    case 'integer':
      return 'an integer';
    case 'date':
      return 'a date';
    case 'string':
      return 'a string';
    case 'string[]':
      return 'a list of strings';
    case 'number':
      return 'a number';
  }
}

function cost(condition: CompiledCondition): number {
  switch (condition.kind) {
    case 'event':
      return 2;
    case 'all':
    case 'any':
      return Math.max(...condition.children.map(cost));
    case 'not':
      return cost(condition.child);
    default:
      return 0;
  }
}
