import { contractLabel, type MessageContract } from '../message-contract.js';
import { classSchemas } from './class-schema.js';
import { JSON_SCHEMA_DRAFT_07, type JsonSchema } from './json-schema.js';

export type { JsonSchema } from './json-schema.js';

/** `cdp.raw-event.v1`: how the contract is named in file names and document keys. */
export function contractFileStem(contract: MessageContract<object>): string {
  return `${contract.name}.v${contract.schemaVersion}`;
}

/**
 * The JSON Schema (draft-07) of a contract's message value, generated from its
 * class-validator rules: one self-contained document, nested classes under
 * `definitions`. draft-07 because AsyncAPI 3.0's default schema format is a
 * superset of it, so the same schemas embed there unchanged.
 */
export function contractJsonSchema(contract: MessageContract<object>): JsonSchema {
  const [root, ...nested] = [...classSchemas(contract.valueClass, (name) => `#/definitions/${name}`)];
  if (!root) throw new Error(`${contractLabel(contract)} has no schema`);
  return {
    $schema: JSON_SCHEMA_DRAFT_07,
    title: `${contractLabel(contract)} (topic ${contract.topic.name})`,
    ...root[1],
    ...(nested.length > 0 ? { definitions: Object.fromEntries(nested) } : {}),
  };
}
