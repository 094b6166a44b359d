import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_EMAIL,
  IS_IN,
  IS_INT,
  IS_ISO8601,
  IS_NOT_EMPTY,
  IS_NUMBER,
  IS_OBJECT,
  IS_STRING,
  IS_UUID,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  MIN_LENGTH,
  isEmail,
  type MetadataStorage,
} from 'class-validator';
import { IS_PRESENT } from '../contract-decorators.js';
import type { JsonPrimitive, JsonSchema } from './json-schema.js';

export type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/**
 * A UUID as class-validator's `IsUUID()` ('all') accepts it: RFC 9562 versions 1
 * to 8 with the RFC variant, or the nil or max UUID. `format: uuid` alone would
 * also let other versions (and a `urn:uuid:` prefix, in some validators) through.
 */
export function uuidPattern(version = '[1-8]'): string {
  const hex = '[0-9a-fA-F]';
  const versioned = `${hex}{8}-${hex}{4}-${version}${hex}{3}-[89abAB]${hex}{3}-${hex}{12}`;
  return version === '[1-8]' ? `^(?:${versioned}|0{8}-0{4}-0{4}-0{4}-0{12}|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$` : `^${versioned}$`;
}

/**
 * The RFC 3339 date-times (what `toISOString()` writes) that class-validator's
 * strict IsISO8601 also accepts: upper-case `T` and `Z`, seconds 00-59 (no leap
 * second) and a four-digit year from 1000 (the date check behind IsISO8601 reads
 * shorter years differently). `format: date-time` checks the calendar.
 */
export const DATE_TIME_PATTERN = '^[1-9]\\d{3}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})$';

function constraint(metadata: ValidationMetadata, index: number): unknown {
  const constraints: unknown = metadata.constraints;
  return Array.isArray(constraints) ? constraints[index] : undefined;
}

function numberConstraint(metadata: ValidationMetadata): number {
  const value = constraint(metadata, 0);
  if (typeof value !== 'number') throw new Error(`@${metadata.name} on ${metadata.propertyName} has no numeric bound`);
  return value;
}

function isPlainOptions(value: unknown, allowedKeys: readonly string[]): boolean {
  if (value === undefined) return true;
  return typeof value === 'object' && value !== null && Object.keys(value).every((key) => allowedKeys.includes(key));
}

const sortedJson = (value: object): string => JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));

/**
 * validator.js fills the options object it is given with its defaults, so after the
 * first validation IsEmail's `{}` holds them all: compare with a freshly filled one.
 */
function hasDefaultEmailOptions(options: unknown): boolean {
  if (options === undefined) return true;
  if (typeof options !== 'object' || options === null) return false;
  if (Object.keys(options).length === 0) return true;
  const defaults = {};
  isEmail('probe@example.com', defaults);
  return sortedJson(options) === sortedJson(defaults);
}

function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The JSON Schema that says what one class-validator constraint says about one
 * value (a field, or an item of it for `each`). Unknown constraints, and options
 * that JSON Schema cannot state, throw: a wrong schema is worse than none.
 */
export function constraintSchema(metadata: ValidationMetadata): JsonSchema {
  switch (metadata.name) {
    case IS_STRING:
      return { type: 'string' };
    case IS_INT:
      return { type: 'integer' };
    case IS_NUMBER:
      // NaN and Infinity cannot be written in JSON, so only maxDecimalPlaces would matter.
      if (!isPlainOptions(constraint(metadata, 0), ['allowNaN', 'allowInfinity'])) break;
      return { type: 'number' };
    case IS_BOOLEAN:
      return { type: 'boolean' };
    case IS_OBJECT:
      return { type: 'object' };
    case IS_ARRAY:
      return { type: 'array' };
    case IS_IN: {
      const values = constraint(metadata, 0);
      if (!Array.isArray(values) || !values.every(isJsonPrimitive)) break;
      return values.length === 1 ? { const: values[0] as JsonPrimitive } : { enum: [...(values as JsonPrimitive[])] };
    }
    case IS_UUID: {
      const version = constraint(metadata, 0);
      if (version === undefined || version === 'all') return { type: 'string', format: 'uuid', pattern: uuidPattern() };
      if (typeof version === 'string' && /^[1-8]$/.test(version)) return { type: 'string', format: 'uuid', pattern: uuidPattern(version) };
      if (typeof version === 'number' && version >= 1 && version <= 8) return { type: 'string', format: 'uuid', pattern: uuidPattern(String(version)) };
      break;
    }
    case IS_ISO8601:
      if (!isPlainOptions(constraint(metadata, 0), ['strict', 'strictSeparator'])) break;
      return { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN };
    case IS_EMAIL:
      // Only the default options: others (allow_display_name, ...) change what passes.
      if (!hasDefaultEmailOptions(constraint(metadata, 0))) break;
      return { type: 'string', format: 'email' };
    case MATCHES: {
      const pattern = constraint(metadata, 0);
      if (!(pattern instanceof RegExp) || pattern.flags !== '' || constraint(metadata, 1) !== undefined) break;
      return { type: 'string', pattern: pattern.source };
    }
    case MAX_LENGTH:
      return { type: 'string', maxLength: numberConstraint(metadata) };
    case MIN_LENGTH:
      return { type: 'string', minLength: numberConstraint(metadata) };
    case IS_NOT_EMPTY:
      // Only meaningful beside a string type; class-schema checks that one is there.
      return { minLength: 1 };
    case MIN:
      return { type: 'number', minimum: numberConstraint(metadata) };
    case MAX:
      return { type: 'number', maximum: numberConstraint(metadata) };
    case ARRAY_MIN_SIZE:
      return { type: 'array', minItems: numberConstraint(metadata) };
    case ARRAY_MAX_SIZE:
      return { type: 'array', maxItems: numberConstraint(metadata) };
    case IS_PRESENT:
      // Presence is the `required` list's business.
      return {};
    default:
      break;
  }
  throw new Error(
    `${metadata.propertyName}: cannot express @${metadata.name ?? metadata.type} (with these options) in JSON Schema; ` +
      'teach libs/contracts/src/schema/constraint-schemas.ts or use a supported constraint',
  );
}

const NUMERIC = ['number', 'integer'];

// Bounds given twice (IsNotEmpty beside MinLength(3)): the tighter one is what holds.
const TIGHTER: Readonly<Record<string, (a: number, b: number) => number>> = {
  minLength: Math.max,
  minItems: Math.max,
  minimum: Math.max,
  maxLength: Math.min,
  maxItems: Math.min,
  maximum: Math.min,
};

/**
 * Combines the schemas of the constraints on one value: all must hold, so types
 * intersect (`integer` within `number`) and a keyword given twice must agree.
 */
export function mergeConstraintSchemas(schemas: readonly JsonSchema[], where: string): JsonSchema {
  let type: string | undefined;
  const rest: Record<string, unknown> = {};
  for (const schema of schemas) {
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === 'type') {
        type = intersectType(type, String(value), where);
      } else if (keyword in rest && keyword in TIGHTER && typeof value === 'number') {
        rest[keyword] = TIGHTER[keyword]?.(Number(rest[keyword]), value);
      } else if (keyword in rest && JSON.stringify(rest[keyword]) !== JSON.stringify(value)) {
        throw new Error(`${where}: two constraints set ${keyword} differently`);
      } else {
        rest[keyword] = value;
      }
    }
  }
  if (rest['minLength'] === 1 && type !== 'string' && schemas.some((schema) => 'minLength' in schema && !('type' in schema))) {
    throw new Error(`${where}: IsNotEmpty needs a string constraint beside it (IsString) to be expressed in JSON Schema`);
  }
  return { ...(type ? { type: type as JsonSchema['type'] } : {}), ...rest } as JsonSchema;
}

function intersectType(current: string | undefined, next: string, where: string): string {
  if (current === undefined || current === next) return next;
  if (NUMERIC.includes(current) && NUMERIC.includes(next)) return 'integer';
  throw new Error(`${where}: constraints disagree on the type (${current} and ${next})`);
}
