import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { JsonLogger } from '../logging/json-logger.js';
import { MetricsService } from './metrics.service.js';

/** One structured log line and one histogram observation per HTTP request. */
@Injectable()
export class RequestLoggingMiddleware implements NestMiddleware {
  constructor(
    private readonly logger: JsonLogger,
    private readonly metrics: MetricsService,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The route pattern, not the URL, keeps label cardinality bounded.
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      this.metrics.httpRequestDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      if (route === '/health' || route === '/metrics') return;
      this.logger.pino.info(
        { method: request.method, url: request.originalUrl, status: response.statusCode, durationMs: Math.round(seconds * 1000) },
        'request',
      );
    });
    next();
  }
}
