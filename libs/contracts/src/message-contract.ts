import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ContractViolationError, describeValidationErrors } from './contract-violation.error.js';
import { compileContractSchemaValidator } from './schema/schema-validator.js';
import type { TopicDefinition } from './topics/topic-definition.js';

export type ContractClass<T extends object> = new () => T;

/** How the partition key is derived, for the generated AsyncAPI document. */
export interface ContractKey {
  readonly description: string;
  readonly format?: 'uuid';
}

/**
 * A versioned Kafka message type: which topic carries it, the class whose
 * class-validator rules define a valid value, and how the partition key is derived
 * (the key fixes ordering, e.g. per customer).
 */
export interface MessageContract<T extends object> {
  readonly name: string;
  readonly schemaVersion: number;
  readonly topic: TopicDefinition;
  readonly valueClass: ContractClass<T>;
  keyOf(value: T): string;
  /** Documents `keyOf` (which is a function, so nothing can read it). */
  readonly key: ContractKey;
}

export function defineContract<T extends object>(contract: MessageContract<T>): MessageContract<T> {
  return contract;
}

/**
 * Turns an untrusted plain object into a validated contract instance, refusing
 * unknown properties so a producer cannot smuggle fields (raw event content,
 * for example) past the contract.
 */
export function parseContractValue<T extends object>(contract: MessageContract<T>, plain: unknown): T {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new ContractViolationError(contractLabel(contract), ['value: must be a JSON object']);
  }
  // Fast path: the contract's compiled JSON Schema accepts only what class-validator
  // accepts too (tested both ways), at a tenth of the cost. Anything it refuses goes
  // through class-validator, for the verdict and for messages that name the rule.
  const instance = Object.freeze(
    compileContractSchemaValidator(contract)(plain) ? Object.assign(new contract.valueClass(), plain) : assertValid(contract, plainToInstance(contract.valueClass, plain)),
  );
  validated.add(instance);
  return instance;
}

/**
 * Validates what leaves as strictly as what arrives, then writes it as JSON. A
 * value that parseContractValue produced is not validated a second time: on the
 * collection path that would double the cost of every event. A value the schema
 * refuses (or cannot judge, such as a Date where a string is due) goes through
 * class-validator, which gives the verdict.
 */
export function serializeContractValue<T extends object>(contract: MessageContract<T>, value: T): string {
  // The same schema fast path as parseContractValue: outbox messages are built in the
  // CDP's processing transaction, where class-validator was its largest single cost.
  if (validated.has(value) || compileContractSchemaValidator(contract)(value)) return JSON.stringify(value);
  const instance = value instanceof contract.valueClass ? value : plainToInstance(contract.valueClass, value);
  return JSON.stringify(assertValid(contract, instance));
}

// Instances that passed validation and have not been handed out for change since.
// parseContractValue's result is frozen, so it cannot be altered after the check.
const validated = new WeakSet<object>();

function assertValid<T extends object>(contract: MessageContract<T>, instance: T): T {
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ContractViolationError(contractLabel(contract), describeValidationErrors(errors));
  }
  return instance;
}

export function contractLabel(contract: MessageContract<object>): string {
  return `${contract.name} v${contract.schemaVersion}`;
}

/**
 * The headers every contract message carries, so a reader (or a data team's tool)
 * can tell what a message is without parsing it. The same values as `contractHeaders`
 * in @cds/kafka, which writes them; the AsyncAPI document is generated from this.
 */
export function contractMessageHeaders(contract: MessageContract<object>): Readonly<Record<'content-type' | 'contract' | 'schema-version', string>> {
  return { 'content-type': 'application/json', contract: contractLabel(contract), 'schema-version': String(contract.schemaVersion) };
}
