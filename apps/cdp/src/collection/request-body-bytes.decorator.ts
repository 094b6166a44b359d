import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The request body's size in bytes when the request states it (Content-Length)
 * and sent it uncompressed; otherwise undefined. A compressed body's length says
 * nothing about the size of the events inside it.
 */
export const RequestBodyBytes = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const request = context.switchToHttp().getRequest<Request>();
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return undefined;
  const length = Number(request.headers['content-length']);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
});
