import type { CompiledCount, CompiledEvent, CompiledFollowUp, CompiledPropertyTest } from './compiled-rule.js';
import { compileValueTest, type ValueField } from './compile-value-test.js';
import { DURATION_HINT, parseDuration } from './duration.js';
import { RULE_LIMITS } from './limits.js';
import { checkKeys, childPath, isRecord, itemPath, listOf, readName, type RuleParseContext } from './parse-context.js';
import { compilePropertyPath, PROPERTY_PATH_HINT } from './property-path.js';
import { COUNT_OPERATORS, type CountOperator } from './rule-types.js';

export const EVENT_KEYS = ['event', 'where', 'count', 'within', 'notFollowedBy'] as const;
const FOLLOW_UP_KEYS = ['event', 'where', 'within'];
const COUNT_KEYS = ['op', 'value'];
const PROPERTY_KEYS = ['property', 'op', 'value'];

const AT_LEAST_ONCE: CompiledCount = { op: 'gte', value: 1 };

// Relative date operators are refused on event properties: they would make an event
// enter and leave the matching set over time, which the event's own `within` already
// expresses and which the reevaluation schedule does not track.
const PROPERTY_FIELD: ValueField = {
  kind: 'any',
  timeOperators: false,
  note: "within_last and before_last are not available on event properties; use the event's within",
};

/** Parses an event condition whose keys the caller has checked against EVENT_KEYS. */
export function parseEventCondition(input: Record<string, unknown>, path: string, context: RuleParseContext): CompiledEvent | null {
  // The helpers return undefined when they failed: null is a valid "not given" window or follow-up.
  const event = readName(input, 'event', path, context);
  const where = parseWhere(input, path, context);
  const count = parseCount(input, path, context);
  const windowMs = Object.hasOwn(input, 'within') ? parseWindow(input['within'], childPath(path, 'within'), context) : null;
  const followUp = Object.hasOwn(input, 'notFollowedBy') ? parseFollowUp(input['notFollowedBy'], childPath(path, 'notFollowedBy'), context) : null;
  if (event === null || where === undefined || count === undefined || windowMs === undefined || followUp === undefined) return null;
  if (followUp !== null && windowMs !== null && followUp.waitMs >= windowMs) {
    context.report(
      childPath(childPath(path, 'notFollowedBy'), 'within'),
      `must be shorter than the event's within (${String(input['within'])}): an occurrence counts only once this wait has passed, while it is still inside the window`,
    );
    return null;
  }
  return { kind: 'event', event, where, count, windowMs, followUp };
}

function parseWhere(input: Record<string, unknown>, path: string, context: RuleParseContext): CompiledPropertyTest[] | undefined {
  if (!Object.hasOwn(input, 'where')) return [];
  const wherePath = childPath(path, 'where');
  const list = input['where'];
  if (!Array.isArray(list) || list.length === 0 || list.length > RULE_LIMITS.maxWherePerEvent) {
    context.report(wherePath, `must be a list of 1 to ${RULE_LIMITS.maxWherePerEvent} property conditions such as {"property": "category", "op": "eq", "value": "shoes"}`);
    return undefined;
  }
  const tests: CompiledPropertyTest[] = [];
  let clean = true;
  list.forEach((item: unknown, index) => {
    const test = parsePropertyTest(item, itemPath(wherePath, index), context);
    if (test) tests.push(test);
    else clean = false;
  });
  return clean ? tests : undefined;
}

function parsePropertyTest(input: unknown, path: string, context: RuleParseContext): CompiledPropertyTest | null {
  if (!isRecord(input)) {
    context.report(path, 'must be a property condition such as {"property": "category", "op": "eq", "value": "shoes"}');
    return null;
  }
  checkKeys(input, PROPERTY_KEYS, path, context);
  const name = readName(input, 'property', path, context);
  const compiledPath = name === null ? null : compilePropertyPath(name);
  if (name !== null && compiledPath === null) context.report(childPath(path, 'property'), PROPERTY_PATH_HINT);
  const test = compileValueTest(input, PROPERTY_FIELD, path, context);
  return compiledPath && test && { path: compiledPath, test };
}

function parseCount(input: Record<string, unknown>, path: string, context: RuleParseContext): CompiledCount | undefined {
  if (!Object.hasOwn(input, 'count')) return AT_LEAST_ONCE;
  const countPath = childPath(path, 'count');
  const count = input['count'];
  if (!isRecord(count)) {
    context.report(countPath, 'must be an object such as {"op": "gte", "value": 2}');
    return undefined;
  }
  let clean = checkKeys(count, COUNT_KEYS, countPath, context);
  const op = count['op'];
  if (typeof op !== 'string' || !(COUNT_OPERATORS as readonly string[]).includes(op)) {
    context.report(childPath(countPath, 'op'), `must be one of ${listOf(COUNT_OPERATORS)}`);
    clean = false;
  }
  const value = count['value'];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > RULE_LIMITS.maxCount) {
    context.report(childPath(countPath, 'value'), `must be a whole number from 0 to ${RULE_LIMITS.maxCount}`);
    clean = false;
  }
  if (!clean) return undefined;
  if (op === 'lt' && value === 0) {
    context.report(countPath, 'can never hold: no count is below 0 (use {"op": "eq", "value": 0} for "never")');
    return undefined;
  }
  return { op: op as CountOperator, value: value as number };
}

function parseWindow(value: unknown, path: string, context: RuleParseContext): number | undefined {
  const ms = parseDuration(value);
  if (ms !== null) return ms;
  context.report(path, DURATION_HINT);
  return undefined;
}

function parseFollowUp(input: unknown, path: string, context: RuleParseContext): CompiledFollowUp | undefined {
  if (!isRecord(input)) {
    context.report(path, 'must be an object such as {"event": "Order Completed", "within": "24h"}');
    return undefined;
  }
  checkKeys(input, FOLLOW_UP_KEYS, path, context);
  const event = readName(input, 'event', path, context);
  const where = parseWhere(input, path, context);
  let waitMs: number | undefined;
  if (Object.hasOwn(input, 'within')) waitMs = parseWindow(input['within'], childPath(path, 'within'), context);
  else context.report(childPath(path, 'within'), 'is required: how long to wait for the follow-up event, such as 24h');
  if (event === null || where === undefined || waitMs === undefined) return undefined;
  return { event, where, waitMs };
}
