import type { ValidationError } from 'class-validator';

/** A message or DTO that does not satisfy its contract, with one line per broken rule. */
export class ContractViolationError extends Error {
  constructor(
    readonly contractName: string,
    readonly violations: string[],
  ) {
    super(`${contractName} is invalid: ${violations.join('; ')}`);
    this.name = 'ContractViolationError';
  }
}

/** Flattens class-validator's nested errors into `path: message` lines. */
export function describeValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}
