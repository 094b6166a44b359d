import { BadRequestException, createParamDecorator, Injectable, PayloadTooLargeException, type ExecutionContext, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Imports of up to 10,000 rows fit; the JSON form stays under the service's JSON limit (100 kB). */
const MAX_CSV_BYTES = 5 * 1024 * 1024;

/** Reads a `text/csv` body (UTF-8) into `request.body` as a string; the JSON parser leaves such bodies alone. */
@Injectable()
export class CsvBodyMiddleware implements NestMiddleware {
  async use(request: Request, _response: Response, next: NextFunction): Promise<void> {
    if (!request.is('text/csv')) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_CSV_BYTES) throw new PayloadTooLargeException(`a CSV import may be at most ${MAX_CSV_BYTES / 1024 / 1024} MB`);
      chunks.push(chunk);
    }
    request.body = Buffer.concat(chunks).toString('utf8');
    next();
  }
}

/** The CSV of an import: a `text/csv` body, or JSON `{"csv": "..."}`. */
export const CsvText = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const body: unknown = context.switchToHttp().getRequest<Request>().body;
  if (typeof body === 'string') return body;
  if (body !== null && typeof body === 'object' && Object.keys(body).length === 1 && typeof (body as { csv?: unknown }).csv === 'string') return (body as { csv: string }).csv;
  throw new BadRequestException('send the CSV (with a header row) as a text/csv body, or as JSON {"csv": "..."}');
});
