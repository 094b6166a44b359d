import { buildMessage, ValidateBy, ValidateIf } from 'class-validator';

/**
 * Decorators that contracts add to class-validator's: `Nullable` changes validation
 * (null accepted, a missing key refused); `RequiredWhen` and `SchemaDescription`
 * only document, for the generated JSON Schema, what class-validator's metadata
 * cannot show (a `ValidateIf` condition is an opaque function).
 */

export const IS_PRESENT = 'isPresent';

/** The condition `Nullable` gives `ValidateIf`; the schema generator recognises it by identity. */
export function isNotNull(_object: object, value: unknown): boolean {
  return value !== null;
}

/**
 * The field must be present, with a value or `null` ("unknown", "none"); a
 * missing key is refused, so a producer that forgot the field is told so rather
 * than silently publishing "unknown". `null` skips the field's other checks.
 * Write it last (lowest) so that "must be present" is the first failure reported.
 */
export function Nullable(): PropertyDecorator {
  return (target, propertyKey) => {
    ValidateIf(isNotNull)(target, propertyKey);
    ValidateBy({
      name: IS_PRESENT,
      validator: {
        validate: (value: unknown) => value !== undefined,
        defaultMessage: buildMessage(() => '$property must be present (null when there is no value)'),
      },
    })(target, propertyKey);
  };
}

/** Marks "this key is missing" in a `RequiredWhen` condition. */
export const ABSENT = Symbol('absent');

export type ConditionValue = string | number | boolean | typeof ABSENT;

/** Every listed field has the given value (or, for `ABSENT`, is missing). */
export type FieldCondition = Readonly<Record<string, ConditionValue>>;

interface PropertyDocs {
  description?: string;
  requiredWhen?: readonly FieldCondition[];
}

interface ClassDocs {
  description?: string;
  properties: Map<string, PropertyDocs>;
}

const docsByClass = new WeakMap<object, ClassDocs>();

function docsOf(constructor: object): ClassDocs {
  let docs = docsByClass.get(constructor);
  if (!docs) {
    docs = { properties: new Map() };
    docsByClass.set(constructor, docs);
  }
  return docs;
}

function propertyDocsOf(prototype: object, propertyKey: string | symbol): PropertyDocs {
  if (typeof propertyKey !== 'string') throw new Error('contract fields must have string names');
  const properties = docsOf(prototype.constructor).properties;
  const docs = properties.get(propertyKey) ?? {};
  properties.set(propertyKey, docs);
  return docs;
}

/**
 * Documents the `ValidateIf` on the same field for the JSON Schema: class-validator
 * checks the field (and so requires it) when any one of the conditions holds.
 * Validation itself is unchanged; a test checks that the documented condition and
 * the real one agree.
 */
export function RequiredWhen(...anyOf: readonly FieldCondition[]): PropertyDecorator {
  if (anyOf.length === 0) throw new Error('RequiredWhen needs at least one condition');
  return (target, propertyKey) => {
    propertyDocsOf(target, propertyKey).requiredWhen = anyOf;
  };
}

/** A description for the generated JSON Schema and AsyncAPI document (class or field). */
export function SchemaDescription(description: string): ClassDecorator & PropertyDecorator {
  return (target: object, propertyKey?: string | symbol): void => {
    if (propertyKey === undefined) docsOf(target).description = description;
    else propertyDocsOf(target, propertyKey).description = description;
  };
}

/** Walks up the class chain, so documentation is inherited like validation rules are. */
function lookup<T>(constructor: object, read: (docs: ClassDocs) => T | undefined): T | undefined {
  for (let current: object | null = constructor; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    const docs = docsByClass.get(current);
    const found = docs ? read(docs) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

export function classDescription(constructor: object): string | undefined {
  return docsByClass.get(constructor)?.description;
}

export function propertyDescription(constructor: object, property: string): string | undefined {
  return lookup(constructor, (docs) => docs.properties.get(property)?.description);
}

export function requiredWhenConditions(constructor: object, property: string): readonly FieldCondition[] | undefined {
  return lookup(constructor, (docs) => docs.properties.get(property)?.requiredWhen);
}

/** Evaluates a documented condition the way class-validator sees the instance. */
export function conditionHolds(anyOf: readonly FieldCondition[], object: Readonly<Record<string, unknown>>): boolean {
  return anyOf.some((condition) =>
    Object.entries(condition).every(([field, expected]) => (expected === ABSENT ? object[field] === undefined : object[field] === expected)),
  );
}
