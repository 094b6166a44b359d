import type { Logger as TypeOrmLogger } from 'typeorm';
import type { JsonLogger } from '../logging/json-logger.js';

export const SLOW_QUERY_MS = 1000;

/** TypeORM's messages as the service's structured log lines (its own logger prints plain text). */
export class TypeOrmJsonLogger implements TypeOrmLogger {
  constructor(private readonly logger: JsonLogger) {}

  logQuery(): void {
    // Every query is too much for a log; slow and failed ones are reported below.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.pino.warn({ err: error, query: query.slice(0, 500) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.pino.warn({ durationMs: time, query: query.slice(0, 500) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.pino.debug({ context: 'schema' }, message);
  }

  logMigration(message: string): void {
    this.logger.pino.info({ context: 'migrations' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger.pino[level === 'warn' ? 'warn' : 'info']({ context: 'typeorm' }, String(message));
  }
}

