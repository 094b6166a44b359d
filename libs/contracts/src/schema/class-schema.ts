import { createRequire } from 'node:module';
import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage.js';
import { getMetadataStorage, IS_EMAIL, IS_ISO8601, IS_OBJECT, IS_OPTIONAL, MAX_LENGTH, ValidationTypes } from 'class-validator';
import { ABSENT, classDescription, isNotNull, propertyDescription, requiredWhenConditions, type FieldCondition } from '../contract-decorators.js';
import { constraintSchema, mergeConstraintSchemas, type ValidationMetadata } from './constraint-schemas.js';
import type { JsonSchema } from './json-schema.js';

// class-transformer keeps its @Type / @Transform metadata in a module that its
// package does not type at this path; require() shares the instance that
// plainToInstance uses (an import would need a declaration every dependent
// project's compilation can see).
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: TransformerMetadataStorage };

/** A class whose instances class-validator checks (a contract or a class nested in one). */
export type SchemaClass = abstract new () => object;

/** Where the schema of a nested class lives, e.g. `#/definitions/Name`. */
export type RefTo = (className: string) => string;

// Where JSON Schema and class-validator draw a line differently, said once in the
// description of the contract's schema when any class of it uses the rule.
const NOTES: readonly (readonly [constraint: string, note: string])[] = [
  [
    IS_ISO8601,
    'Date-times are RFC 3339 with an upper-case T and Z, as toISOString() writes them; class-validator (IsISO8601) also accepts other ISO 8601 forms (a date alone, no seconds, week dates), which producers must not rely on.',
  ],
  [
    IS_EMAIL,
    "Emails: the contract's check is class-validator's isEmail, which compileContractSchemaValidator applies; a generic `format: email` checker differs in edge cases (one-letter top-level domains, non-ASCII local parts).",
  ],
  [
    MAX_LENGTH,
    'Lengths count Unicode code points; class-validator counts a character and the variation selector after it (U+FE0E, U+FE0F) as one, so it accepts strings a little longer than the schema does.',
  ],
];

/**
 * The JSON Schemas (draft-07) of a class and of every class nested in it, read from
 * class-validator's metadata (and class-transformer's, for nested types), in the
 * order met: the class itself first. Names are class names and must be unique.
 */
export function classSchemas(root: SchemaClass, refTo: RefTo): Map<string, JsonSchema> {
  const schemas = new Map<string, JsonSchema>();
  const used = new Set<string>();
  for (const target of reachableClasses(root)) schemas.set(target.name, classSchema(target, refTo, used));
  const rootSchema = schemas.get(root.name);
  const notes = NOTES.filter(([constraint]) => used.has(constraint)).map(([, note]) => note);
  if (rootSchema && notes.length > 0) {
    const { description, ...rest } = rootSchema;
    schemas.set(root.name, { description: [description, ...notes].filter(Boolean).join(' '), ...rest });
  }
  return schemas;
}

/** The class and every class nested in it (through ValidateNested + Type), the class first. */
export function reachableClasses(root: SchemaClass): SchemaClass[] {
  const byName = new Map<string, SchemaClass>([[root.name, root]]);
  const pending: SchemaClass[] = [root];
  for (let next = pending.shift(); next; next = pending.shift()) {
    for (const metadata of getMetadataStorage().getTargetValidationMetadatas(next, '', false, false)) {
      if (metadata.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const nested = nestedClass(next, metadata.propertyName);
      const known = byName.get(nested.name);
      if (known && known !== nested) throw new Error(`two classes named ${nested.name}: schema names must be unique`);
      if (!known) {
        byName.set(nested.name, nested);
        pending.push(nested);
      }
    }
  }
  return [...byName.values()];
}

function classSchema(target: SchemaClass, refTo: RefTo, used: Set<string>): JsonSchema {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false);
  if (metadatas.length === 0) throw new Error(`${target.name} has no class-validator metadata`);
  for (const metadata of metadatas) if (metadata.name) used.add(metadata.name);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);

  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const conditions: JsonSchema[] = [];
  for (const [property, own] of byProperty) {
    const converted = propertySchema(target, property, own, refTo);
    properties[property] = converted.schema;
    if (converted.presence === 'required') required.push(property);
    if (converted.requiredWhen) conditions.push({ if: conditionSchema(target, converted.requiredWhen, byProperty), then: { required: [property] } });
  }
  const description = classDescription(target);
  return {
    ...(description ? { description } : {}),
    type: 'object',
    properties,
    required,
    additionalProperties: false,
    ...(conditions.length > 0 ? { allOf: conditions } : {}),
  };
}

interface ConvertedProperty {
  schema: JsonSchema;
  presence: 'required' | 'optional' | 'conditional';
  requiredWhen?: readonly FieldCondition[];
}

function propertySchema(target: SchemaClass, property: string, metadatas: readonly ValidationMetadata[], refTo: RefTo): ConvertedProperty {
  const where = `${target.name}.${property}`;
  for (const metadata of metadatas) {
    if (metadata.groups?.length || metadata.always !== undefined || metadata.validateIf) {
      throw new Error(`${where}: validation groups, 'always' and per-constraint validateIf are not expressed in JSON Schema`);
    }
  }
  const known = new Set<string>([ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION]);
  const unknown = metadatas.find((metadata) => !known.has(metadata.type));
  if (unknown) throw new Error(`${where}: cannot express a ${unknown.type} rule in JSON Schema`);

  const { presence, nullable, requiredWhen } = presenceOf(target, property, metadatas);
  const custom = metadatas.filter((metadata) => metadata.type === ValidationTypes.CUSTOM_VALIDATION);
  const nested = metadatas.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION);
  const eachRules = custom.filter((metadata) => metadata.each);
  let schema = mergeConstraintSchemas(custom.filter((metadata) => !metadata.each).map(constraintSchema), where);
  const notes: string[] = [];

  if (eachRules.length > 0 || (nested && schema.type === 'array')) {
    // `each` also applies a rule to a value that is not an array; with IsArray beside it, that cannot pass anyway.
    if (schema.type !== 'array') throw new Error(`${where}: rules with { each: true } need IsArray beside them`);
    let items = mergeConstraintSchemas(eachRules.map(constraintSchema), `${where}[]`);
    if (nested) {
      if (!onlyObjectType(items)) throw new Error(`${where}: nested items can only carry IsObject besides ValidateNested`);
      if (!items.type) notes.push('class-validator (ValidateNested without IsObject each) also accepts items that are arrays of such objects; the schema requires objects.');
      items = { $ref: refTo(nestedClass(target, property).name) };
    }
    schema = { ...schema, items };
  } else if (nested) {
    if (!onlyObjectType(schema)) throw new Error(`${where}: a nested object can only carry IsObject besides ValidateNested`);
    if (!custom.some((metadata) => metadata.name === IS_OBJECT)) {
      notes.push('class-validator (ValidateNested without IsObject) also accepts this field missing, or an array of such objects; the schema requires one object.');
    }
    schema = { $ref: refTo(nestedClass(target, property).name) };
  }

  if (requiredWhen) {
    notes.push(
      `Required when ${describeCondition(requiredWhen)}. class-validator checks this field only then (any value passes otherwise); the schema checks it whenever present.`,
    );
  }
  if (defaultMetadataStorage.findTransformMetadatas(target, property, TransformationType.PLAIN_TO_CLASS).length > 0) {
    notes.push('A class-transformer @Transform converts the input before class-validator checks it (see the contract class); the schema describes the converted value.');
  }
  if (nullable) schema = allowNull(schema);
  const description = [propertyDescription(target, property), ...notes].filter(Boolean).join(' ');
  return { schema: describe(schema, description), presence, ...(requiredWhen ? { requiredWhen } : {}) };
}

function presenceOf(target: SchemaClass, property: string, metadatas: readonly ValidationMetadata[]): Omit<ConvertedProperty, 'schema'> & { nullable: boolean } {
  const where = `${target.name}.${property}`;
  const conditionals = metadatas.filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION);
  const documented = requiredWhenConditions(target, property);
  if (conditionals.length > 1) throw new Error(`${where}: more than one IsOptional/ValidateIf is not expressed in JSON Schema`);
  const [conditional] = conditionals;
  const condition: unknown = conditional?.constraints?.[0];
  const undocumented = conditional !== undefined && conditional.name !== IS_OPTIONAL && condition !== isNotNull;
  if (undocumented !== Boolean(documented)) {
    throw new Error(`${where}: ${documented ? '@RequiredWhen documents no @ValidateIf' : 'document the condition of @ValidateIf with @RequiredWhen'}`);
  }
  // IsOptional skips every rule for null as well as for a missing key.
  if (conditional?.name === IS_OPTIONAL) return { presence: 'optional', nullable: true };
  if (condition === isNotNull) return { presence: 'required', nullable: true };
  if (documented) return { presence: 'conditional', nullable: false, requiredWhen: documented };
  return { presence: 'required', nullable: false };
}

function nestedClass(target: SchemaClass, property: string): SchemaClass {
  const typeFunction = defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction;
  const nested: unknown = typeFunction?.();
  if (typeof nested !== 'function') throw new Error(`${target.name}.${property}: ValidateNested needs @Type(() => Class) to be expressed in JSON Schema`);
  return nested as SchemaClass;
}

function onlyObjectType(schema: JsonSchema): boolean {
  return Object.keys(schema).every((keyword) => keyword === 'type') && (schema.type === undefined || schema.type === 'object');
}

/** null passes as well (class-validator skips every rule for it). */
function allowNull(schema: JsonSchema): JsonSchema {
  if (schema.$ref) return { anyOf: [schema, { type: 'null' }] };
  const { const: only, ...rest } = schema;
  const withNull: JsonSchema = { ...rest };
  if (only !== undefined) withNull.enum = [only, null];
  if (rest.enum) withNull.enum = [...rest.enum, null];
  if (rest.type) withNull.type = [...(Array.isArray(rest.type) ? rest.type : [rest.type]), 'null'];
  return withNull;
}

/** draft-07 ignores keywords beside `$ref`, so a described reference goes through allOf. */
function describe(schema: JsonSchema, description: string): JsonSchema {
  if (!description) return schema;
  return schema.$ref ? { description, allOf: [schema] } : { description, ...schema };
}

function conditionSchema(target: SchemaClass, anyOf: readonly FieldCondition[], byProperty: ReadonlyMap<string, unknown>): JsonSchema {
  const one = (condition: FieldCondition): JsonSchema => {
    const entries = Object.entries(condition);
    for (const [field] of entries) if (!byProperty.has(field)) throw new Error(`${target.name}: @RequiredWhen names ${field}, which is not a field`);
    const valued = entries.filter(([, value]) => value !== ABSENT);
    const parts: JsonSchema[] = [];
    if (valued.length > 0) {
      parts.push({ properties: Object.fromEntries(valued.map(([field, value]) => [field, { const: value as string | number | boolean }])), required: valued.map(([field]) => field) });
    }
    for (const [field, value] of entries) if (value === ABSENT) parts.push({ not: { required: [field] } });
    return parts.length === 1 && parts[0] ? parts[0] : { allOf: parts };
  };
  return anyOf.length === 1 && anyOf[0] ? one(anyOf[0]) : { anyOf: anyOf.map(one) };
}

function describeCondition(anyOf: readonly FieldCondition[]): string {
  return anyOf
    .map((condition) =>
      Object.entries(condition)
        .map(([field, value]) => (value === ABSENT ? `${field} is absent` : `${field} is ${JSON.stringify(value)}`))
        .join(' and '),
    )
    .join(', or when ');
}
