import { RULE_LIMITS } from './limits.js';
import type { RuleError } from './rule-types.js';

/** Errors and budgets of one `parseSegmentRule` call; parsing goes on after an error to report them all. */
export class RuleParseContext {
  readonly errors: RuleError[] = [];
  conditions = 0;

  report(path: string, message: string): void {
    if (this.errors.length < RULE_LIMITS.maxErrors) this.errors.push({ path, message });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `rule.all[0]` + `count` → `rule.all[0].count`; odd keys are quoted so the path stays readable. */
export function childPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

export function listOf(values: readonly string[]): string {
  return values.join(', ');
}

/** Reports every key of `input` outside `allowed`; true when there were none. */
export function checkKeys(input: Record<string, unknown>, allowed: readonly string[], path: string, context: RuleParseContext): boolean {
  let clean = true;
  for (const key of Object.keys(input)) {
    if (allowed.includes(key)) continue;
    context.report(childPath(path, key), `is not a known key here; allowed keys are ${listOf(allowed)}`);
    clean = false;
  }
  return clean;
}

/** A non-empty name of bounded length (event name, consent purpose, trait or property path). */
export function readName(input: Record<string, unknown>, key: string, path: string, context: RuleParseContext): string | null {
  const value = input[key];
  const at = childPath(path, key);
  if (typeof value !== 'string' || value.trim().length === 0) {
    context.report(at, 'must be a non-empty string');
    return null;
  }
  if (value.length > RULE_LIMITS.maxNameLength) {
    context.report(at, `must be at most ${RULE_LIMITS.maxNameLength} characters`);
    return null;
  }
  return value;
}
