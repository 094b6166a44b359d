import { DURATION_HINT, parseDuration } from './duration.js';
import type { InsightValueKind } from './insight-fields.js';
import { parseIsoTime } from './iso-time.js';
import { RULE_LIMITS } from './limits.js';
import { childPath, itemPath, listOf, type RuleParseContext } from './parse-context.js';
import { VALUE_OPERATORS, type Scalar, type ValueOperator } from './rule-types.js';
import type { ValueTest } from './value-test.js';

/** `any`: traits and event properties, whose kind is only known from the data. */
export type FieldKind = InsightValueKind | 'any';

export interface ValueField {
  readonly kind: FieldKind;
  readonly min?: number;
  readonly max?: number;
  /** Whether within_last / before_last may be used (not on event properties: see parse-event-condition). */
  readonly timeOperators: boolean;
  /** Appended when a real operator is refused for this field, e.g. `insight churnRisk holds a number`. */
  readonly note?: string;
}

const ORDER_OPERATORS: readonly ValueOperator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];
const PRESENCE_OPERATORS: readonly ValueOperator[] = ['exists', 'not_exists'];

const OPERATORS_BY_KIND: Record<FieldKind, readonly ValueOperator[]> = {
  any: VALUE_OPERATORS,
  number: [...ORDER_OPERATORS, 'in', 'not_in', ...PRESENCE_OPERATORS],
  integer: [...ORDER_OPERATORS, 'in', 'not_in', ...PRESENCE_OPERATORS],
  date: [...ORDER_OPERATORS, ...PRESENCE_OPERATORS, 'within_last', 'before_last'],
  string: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', ...PRESENCE_OPERATORS],
  'string[]': ['contains', ...PRESENCE_OPERATORS],
};

const ISO_DATE_HINT = 'an ISO 8601 date such as 2025-01-31 or 2025-01-31T12:00:00Z';

/** Checks `op` and `value` of a trait, insight or property condition and prepares the operand. */
export function compileValueTest(input: Record<string, unknown>, field: ValueField, path: string, context: RuleParseContext): ValueTest | null {
  const allowed = OPERATORS_BY_KIND[field.kind].filter((op) => field.timeOperators || (op !== 'within_last' && op !== 'before_last'));
  const op = input['op'];
  if (typeof op !== 'string' || !(allowed as readonly string[]).includes(op)) {
    // The note explains why a real operator is refused here; for a made-up one the list says enough.
    const known = typeof op === 'string' && (VALUE_OPERATORS as readonly string[]).includes(op);
    context.report(childPath(path, 'op'), `must be one of ${listOf(allowed)}${known && field.note ? ` (${field.note})` : ''}`);
    return null;
  }
  const operator = op as ValueOperator;
  const valuePath = childPath(path, 'value');
  const hasValue = Object.hasOwn(input, 'value');
  const value = input['value'];
  if (operator === 'exists' || operator === 'not_exists') {
    if (hasValue) {
      context.report(valuePath, `must be left out for ${operator}`);
      return null;
    }
    return { op: 'exists', negate: operator === 'not_exists' };
  }
  if (!hasValue) {
    context.report(valuePath, `is required for ${operator}`);
    return null;
  }
  switch (operator) {
    case 'eq':
    case 'neq': {
      const scalar = readScalar(value, field.kind, field, valuePath, context);
      if (scalar === null) return null;
      const dateMs = typeof scalar === 'string' ? parseIsoTime(scalar) : Number.NaN;
      return { op: 'eq', negate: operator === 'neq', value: scalar, dateMs };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const operand = readOrderable(value, field, valuePath, context);
      return operand && { op: operator, negate: false, operand: operand.value, isDate: operand.isDate };
    }
    case 'in':
    case 'not_in': {
      const values = readList(value, field, valuePath, context);
      return values && { op: 'in', negate: operator === 'not_in', values };
    }
    case 'contains': {
      const scalar = readScalar(value, field.kind === 'string[]' ? 'string' : field.kind, field, valuePath, context);
      return scalar === null ? null : { op: 'contains', negate: false, value: scalar };
    }
    case 'starts_with': {
      if (typeof value !== 'string' || value.length === 0 || value.length > RULE_LIMITS.maxStringValueLength) {
        context.report(valuePath, `must be a non-empty string of at most ${RULE_LIMITS.maxStringValueLength} characters`);
        return null;
      }
      return { op: 'starts_with', negate: false, value };
    }
    case 'within_last':
    case 'before_last': {
      const durationMs = parseDuration(value);
      if (durationMs === null) {
        context.report(valuePath, DURATION_HINT);
        return null;
      }
      return { op: operator, negate: false, durationMs };
    }
  }
}

function readScalar(value: unknown, kind: FieldKind, field: ValueField, path: string, context: RuleParseContext): Scalar | null {
  switch (kind) {
    case 'any':
      if (typeof value === 'boolean' || isFiniteNumber(value) || isBoundedString(value)) return value;
      context.report(path, `must be a string (at most ${RULE_LIMITS.maxStringValueLength} characters), a number or true/false`);
      return null;
    case 'number':
    case 'integer':
      return readNumber(value, kind, field, path, context);
    case 'date':
      if (typeof value === 'string' && !Number.isNaN(parseIsoTime(value))) return value;
      context.report(path, `must be ${ISO_DATE_HINT}`);
      return null;
    case 'string':
    case 'string[]':
      if (isBoundedString(value)) return value;
      context.report(path, `must be a string of at most ${RULE_LIMITS.maxStringValueLength} characters`);
      return null;
  }
}

function readOrderable(value: unknown, field: ValueField, path: string, context: RuleParseContext): { value: number; isDate: boolean } | null {
  if (field.kind === 'number' || field.kind === 'integer') {
    const number = readNumber(value, field.kind, field, path, context);
    return number === null ? null : { value: number, isDate: false };
  }
  // Only `any` and `date` reach here: other kinds have no ordering operators.
  if (field.kind === 'any' && isFiniteNumber(value)) return { value, isDate: false };
  const time = typeof value === 'string' ? parseIsoTime(value) : Number.NaN;
  if (!Number.isNaN(time)) return { value: time, isDate: true };
  context.report(path, field.kind === 'any' ? `must be a number or ${ISO_DATE_HINT}` : `must be ${ISO_DATE_HINT}`);
  return null;
}

function readList(value: unknown, field: ValueField, path: string, context: RuleParseContext): ReadonlySet<Scalar> | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > RULE_LIMITS.maxListValues) {
    context.report(path, `must be a list of 1 to ${RULE_LIMITS.maxListValues} values`);
    return null;
  }
  const values = new Set<Scalar>();
  let clean = true;
  value.forEach((item: unknown, index) => {
    const scalar = readScalar(item, field.kind, field, itemPath(path, index), context);
    if (scalar === null) clean = false;
    else values.add(scalar);
  });
  return clean ? values : null;
}

function readNumber(value: unknown, kind: 'number' | 'integer', field: ValueField, path: string, context: RuleParseContext): number | null {
  const fits = isFiniteNumber(value) && (kind === 'number' || Number.isInteger(value)) && (field.min === undefined || value >= field.min) && (field.max === undefined || value <= field.max);
  if (fits) return value;
  const noun = kind === 'integer' ? 'an integer' : 'a number';
  if (field.min !== undefined && field.max !== undefined) context.report(path, `must be ${noun} from ${field.min} to ${field.max}`);
  else if (field.min !== undefined) context.report(path, `must be ${noun} of at least ${field.min}`);
  else context.report(path, `must be ${noun}`);
  return null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isBoundedString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= RULE_LIMITS.maxStringValueLength;
}
