import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedSource } from '../sources/sources.service.js';
import type { RequestWithSource } from './write-key.guard.js';

/** The source WriteKeyGuard authenticated for this request. */
export const CurrentSource = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedSource => {
  const source = context.switchToHttp().getRequest<RequestWithSource>().source;
  if (!source) throw new UnauthorizedException('no authenticated source');
  return source;
});
