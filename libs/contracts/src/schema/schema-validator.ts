import { Ajv, type Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isEmail, isUUID } from 'class-validator';
import type { MessageContract } from '../message-contract.js';
import { DATE_TIME_PATTERN } from './constraint-schemas.js';
import { contractJsonSchema } from './contract-json-schema.js';

type StringCheck = (value: string) => boolean;

function standardFormat(name: 'email' | 'uuid'): StringCheck {
  const format: Format = fullFormats[name];
  if (format instanceof RegExp) return (value) => format.test(value);
  if (typeof format === 'function') return format;
  const validate: unknown = typeof format === 'object' && !format.async ? format.validate : undefined;
  if (validate instanceof RegExp) return (value) => validate.test(value);
  if (typeof validate === 'function') return (value) => Boolean(validate(value));
  throw new Error(`ajv-formats has no synchronous ${name} format`);
}

const DATE_TIME = new RegExp(DATE_TIME_PATTERN);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * DATE_TIME_PATTERN plus the calendar: exactly the strings that the pattern, JSON
 * Schema's date-time and class-validator's strict IsISO8601 all accept (a spec
 * compares them on generated strings), without the cost of the latter two (a Date
 * object each), which would dominate the pre-check of an event.
 */
export function isContractDateTime(value: string): boolean {
  if (!DATE_TIME.test(value)) return false;
  const [year, month, day, hour, minute] = [value.slice(0, 4), value.slice(5, 7), value.slice(8, 10), value.slice(11, 13), value.slice(14, 16)].map(Number) as [number, number, number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59) return false;
  if (value.endsWith('Z')) return true;
  return Number(value.slice(-5, -3)) <= 23 && Number(value.slice(-2)) <= 59;
}

/**
 * Each format accepts only what JSON Schema means by it AND class-validator's own
 * check accepts, so "the schema says valid" implies "the contract says valid" even
 * where the two disagree on the edges (emails).
 */
function contractFormats(): Record<string, StringCheck> {
  const email = standardFormat('email');
  const uuid = standardFormat('uuid');
  return {
    'date-time': isContractDateTime,
    email: (value) => email(value) && isEmail(value),
    uuid: (value) => uuid(value) && isUUID(value),
  };
}

let sharedAjv: Ajv | undefined;

// One ajv instance for all contracts: compiling is the expensive part, and happens
// once per contract. strictRequired is off because `then: { required: [...] }` names
// fields declared in the parent schema, which is how draft-07 writes a conditional requirement.
function contractAjv(): Ajv {
  sharedAjv ??= new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, formats: contractFormats() });
  return sharedAjv;
}

const compiled = new WeakMap<MessageContract<object>, (value: unknown) => boolean>();

/**
 * A fast check of a plain value against the contract's generated JSON Schema.
 * It is a pre-check: when it says true, parseContractValue accepts the value too
 * (the agreement tests hold it to that); when it says false, run
 * parseContractValue for the verdict and its messages, because the schema is
 * stricter in a few documented places (numeric ids, other ISO 8601 forms, ...).
 */
export function compileContractSchemaValidator<T extends object>(contract: MessageContract<T>): (value: unknown) => boolean {
  const key = contract as MessageContract<object>;
  let validator = compiled.get(key);
  if (!validator) {
    const validate = contractAjv().compile(contractJsonSchema(key));
    validator = (value: unknown): boolean => validate(value);
    compiled.set(key, validator);
  }
  return validator;
}
