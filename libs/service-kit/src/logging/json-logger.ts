import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/service-env.js';

/** Structured JSON logs (one object per line) for Nest and for the service's own code. */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(service: string, level: LogLevel, destination?: pino.DestinationStream) {
    // Synchronous writes: the last lines before an exit (shutdown, fatal config error) must not be lost.
    this.pino = pino({ base: { service }, level, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? pino.destination({ dest: 1, sync: true }));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes optional params as `[...details, context]`; the last string is the context. */
  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const details = context === undefined ? rest : rest.slice(0, -1);
    const fields: Record<string, unknown> = context ? { context } : {};
    for (const detail of details) {
      if (detail instanceof Error) fields['err'] = detail;
      else if (typeof detail === 'string') fields['stack'] = detail;
      else if (detail !== undefined) Object.assign(fields, typeof detail === 'object' ? detail : { detail });
    }
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}
