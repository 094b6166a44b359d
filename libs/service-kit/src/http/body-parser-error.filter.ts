import { Catch, HttpException, HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

interface BodyParserError {
  type: string;
  length?: number;
  limit?: number;
  message: string;
}

const STATUS_BY_TYPE: Record<string, number> = {
  'entity.too.large': HttpStatus.PAYLOAD_TOO_LARGE,
  'entity.parse.failed': HttpStatus.BAD_REQUEST,
  'encoding.unsupported': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'charset.unsupported': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'request.aborted': HttpStatus.BAD_REQUEST,
};

/**
 * Body-parser failures (oversized or malformed bodies) happen before any
 * controller; this words their 4xx answers so they say what is wrong and which
 * limit applies, in the same shape as every other error.
 */
@Catch()
export class BodyParserErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    // Nest wraps body-parser's errors in an HttpException whose cause is the original.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    if (!isBodyParserError(cause)) return super.catch(exception, host);
    const status = STATUS_BY_TYPE[cause.type] ?? HttpStatus.BAD_REQUEST;
    const message =
      cause.type === 'entity.too.large' && cause.limit !== undefined
        ? `request body is ${kilobytes(cause.length)} KB; the limit is ${kilobytes(cause.limit)} KB`
        : cause.type === 'entity.parse.failed'
          ? `request body is not valid JSON: ${cause.message}`
          : cause.message;
    host.switchToHttp().getResponse<Response>().status(status).json({ statusCode: status, error: HttpStatus[status], message: [message] });
  }
}

function isBodyParserError(exception: unknown): exception is BodyParserError {
  return typeof exception === 'object' && exception !== null && typeof (exception as { type?: unknown }).type === 'string' && (exception as { type: string }).type in STATUS_BY_TYPE;
}

function kilobytes(bytes: number | undefined): string {
  return bytes === undefined ? '?' : String(Math.ceil(bytes / 1024));
}
