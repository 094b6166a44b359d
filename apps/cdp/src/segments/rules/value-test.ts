import { timeOf } from './iso-time.js';
import type { PropertyPath } from './property-path.js';
import type { Scalar } from './rule-types.js';

/**
 * A compiled operator with its operand prepared at parse time. Negative operators are
 * their positive counterpart with `negate` set (neq = not eq, not_in = not in,
 * not_exists = not exists), so on a missing value or across a list they are exact
 * complements of each other.
 */
export type ValueTest =
  | { readonly op: 'eq'; readonly negate: boolean; readonly value: Scalar; /** NaN unless the value is an ISO date */ readonly dateMs: number }
  | { readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly negate: false; readonly operand: number; readonly isDate: boolean }
  | { readonly op: 'in'; readonly negate: boolean; readonly values: ReadonlySet<Scalar> }
  | { readonly op: 'contains'; readonly negate: false; readonly value: Scalar }
  | { readonly op: 'starts_with'; readonly negate: false; readonly value: string }
  | { readonly op: 'exists'; readonly negate: boolean }
  | { readonly op: 'within_last' | 'before_last'; readonly negate: false; readonly durationMs: number };

/**
 * Scratch state shared by one evaluation so the evaluator allocates nothing per node.
 * After a node is evaluated, `next` holds the earliest instant after now at which its
 * result could change without new data (Infinity: never).
 */
export interface EvalScratch {
  next: number;
  anyHit: boolean;
  hitNext: number;
  missNext: number;
}

export function newScratch(): EvalScratch {
  return { next: Infinity, anyHit: false, hitNext: -Infinity, missNext: Infinity };
}

/** The positive form of a test on one value (the caller applies `negate`). */
export function testValue(test: ValueTest, actual: unknown, nowMs: number, scratch: EvalScratch): boolean {
  scratch.next = Infinity;
  switch (test.op) {
    case 'eq':
      return actual === test.value || (!Number.isNaN(test.dateMs) && timeOf(actual) === test.dateMs);
    case 'gt':
      return comparable(test.isDate, actual) > test.operand;
    case 'gte':
      return comparable(test.isDate, actual) >= test.operand;
    case 'lt':
      return comparable(test.isDate, actual) < test.operand;
    case 'lte':
      return comparable(test.isDate, actual) <= test.operand;
    case 'in':
      return (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && test.values.has(actual);
    case 'contains':
      if (typeof actual === 'string') return typeof test.value === 'string' && actual.includes(test.value);
      return Array.isArray(actual) && actual.includes(test.value);
    case 'starts_with':
      return typeof actual === 'string' && actual.startsWith(test.value);
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'within_last': {
      // True on [t, t + d): a date counts from the instant it is reached until d later.
      const t = timeOf(actual);
      if (Number.isNaN(t)) return false;
      if (t > nowMs) {
        scratch.next = t;
        return false;
      }
      const end = t + test.durationMs;
      if (end <= nowMs) return false;
      scratch.next = end;
      return true;
    }
    case 'before_last': {
      // True from t + d on: the complement of within_last for dates in the past.
      const t = timeOf(actual);
      if (Number.isNaN(t)) return false;
      const start = t + test.durationMs;
      if (start <= nowMs) return true;
      scratch.next = start;
      return false;
    }
  }
}

/**
 * Tests every value a path reaches in `root` (traits or event properties) and holds when
 * any of them passes (positive form; the caller applies `negate`). A key equal to the whole
 * dotted text wins over walking the path, so a trait literally named `a.b` stays reachable.
 */
export function testAtPath(root: Readonly<Record<string, unknown>>, path: PropertyPath, test: ValueTest, nowMs: number, scratch: EvalScratch): boolean {
  if (Object.hasOwn(root, path.text)) return testValue(test, root[path.text], nowMs, scratch);
  if (path.parts.length === 1) return testValue(test, undefined, nowMs, scratch);
  scratch.anyHit = false;
  scratch.hitNext = -Infinity;
  scratch.missNext = Infinity;
  walk(root, path, 0, test, nowMs, scratch);
  // Across several values: a hit ends only when every hit has changed (latest of their
  // changes is a safe lower bound); a miss can end with the first value that changes.
  scratch.next = scratch.anyHit ? scratch.hitNext : scratch.missNext;
  return scratch.anyHit;
}

function walk(start: unknown, path: PropertyPath, from: number, test: ValueTest, nowMs: number, scratch: EvalScratch): void {
  const parts = path.parts;
  let current = start;
  for (let i = from; i < parts.length; i++) {
    const part = parts[i];
    if (Array.isArray(current)) {
      if (part.index >= 0) {
        current = current[part.index];
        continue;
      }
      // A name applied to a list applies to each element.
      for (const element of current) walk(element, path, i, test, nowMs, scratch);
      return;
    }
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part.key)) return;
    current = (current as Record<string, unknown>)[part.key];
  }
  if (current === undefined) return;
  const hit = testValue(test, current, nowMs, scratch);
  if (hit) {
    scratch.anyHit = true;
    if (scratch.next > scratch.hitNext) scratch.hitNext = scratch.next;
  } else if (scratch.next < scratch.missNext) {
    scratch.missNext = scratch.next;
  }
}

function comparable(isDate: boolean, actual: unknown): number {
  if (isDate) return timeOf(actual);
  return typeof actual === 'number' ? actual : Number.NaN;
}
