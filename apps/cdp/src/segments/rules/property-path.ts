import { RULE_LIMITS } from './limits.js';

export interface PathPart {
  readonly key: string;
  /** The part as an array index, or -1 when it is not a whole number. */
  readonly index: number;
}

/**
 * A dotted path into traits or event properties, split once at parse time.
 * `products.0.category` reads the first product's category; `products.category`
 * reads the category of every product (a name applied to a list applies to each element),
 * and the condition holds when any of them satisfies it.
 */
export interface PropertyPath {
  readonly text: string;
  readonly parts: readonly PathPart[];
}

export const PROPERTY_PATH_HINT = `must be a name or a dotted path such as products.0.category, with no empty parts and at most ${RULE_LIMITS.maxPathParts} parts`;

const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,8})$/;

export function compilePropertyPath(text: string): PropertyPath | null {
  if (text.length === 0 || text.length > RULE_LIMITS.maxNameLength) return null;
  const keys = text.split('.');
  if (keys.length > RULE_LIMITS.maxPathParts || keys.some((key) => key.length === 0)) return null;
  return { text, parts: keys.map((key) => ({ key, index: ARRAY_INDEX.test(key) ? Number(key) : -1 })) };
}
