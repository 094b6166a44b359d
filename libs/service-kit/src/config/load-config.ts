import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/** Start-up configuration that cannot be used; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads environment variables into a validated instance of `schema`. Property
 * names are the variable names; property initialisers are the safe local defaults.
 */
export function loadEnv<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const known = Object.keys(new schema());
  const present = Object.fromEntries(
    known.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const instance = plainToInstance(schema, present, { exposeDefaultValues: true, enableImplicitConversion: false });
  const errors = validateSync(instance, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => {
        const messages = Object.values(error.constraints ?? {}).join(', ');
        return `${error.property}=${JSON.stringify(env[error.property] ?? null)}: ${messages}`;
      }),
    );
  }
  return instance;
}
