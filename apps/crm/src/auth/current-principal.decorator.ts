import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { RequestWithPrincipal } from './api-key.guard.js';
import type { Principal } from './api-keys.service.js';

/** Who is calling, as ApiKeyGuard authenticated them. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new UnauthorizedException('not authenticated');
  return principal;
});
