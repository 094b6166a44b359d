import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Variables every service reads. Each app subclasses it to set its own defaults
 * (port, database name: the placeholders here fail validation on purpose) and
 * to add its own variables.
 */
export class ServiceEnv {
  // Decorators apply bottom-up and validation stops at the first failure, so the
  // type check comes last here to be reported first.
  @Transform(toInteger)
  @Max(65535)
  @Min(1)
  @IsInt({ message: 'must be a whole number' })
  PORT = 0;

  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  @Matches(/^postgres(ql)?:\/\/[^/]+\/[^/?]+/, { message: 'must be a postgres:// URL that names a database' })
  DATABASE_URL = '';

  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Matches(/^[a-z0-9._-]*$/, { message: 'may contain only lower-case letters, digits, dot, dash and underscore' })
  KAFKA_TOPIC_PREFIX = '';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';
}
