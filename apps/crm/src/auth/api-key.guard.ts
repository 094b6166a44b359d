import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ApiKeyRole } from './api-key.entity.js';
import { ApiKeysService, type Principal } from './api-keys.service.js';
import { ROLES_KEY } from './roles.decorator.js';

export type RequestWithPrincipal = Request & { principal?: Principal };

/**
 * `Authorization: Bearer <API key>`; the key's role must be one the endpoint
 * admits (`@Roles`). An endpoint without `@Roles` admits no one: every route
 * must say who may call it.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) throw new UnauthorizedException('send "Authorization: Bearer <API key>"');
    const principal = await this.keys.authenticate(header.slice('Bearer '.length));
    if (!principal) throw new UnauthorizedException('unknown or revoked API key');
    const admitted = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    if (!admitted.includes(principal.role)) throw new ForbiddenException(`a ${principal.role} key may not do this (needs ${admitted.join(' or ') || 'a role this endpoint does not grant'})`);
    request.principal = principal;
    return true;
  }
}
