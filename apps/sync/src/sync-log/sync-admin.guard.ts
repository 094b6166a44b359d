import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { SyncEnv } from '../config/sync-env.js';

/** Operators' endpoints: `Authorization: Bearer <SYNC_ADMIN_TOKEN>`. */
@Injectable()
export class SyncAdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(env: SyncEnv) {
    this.expected = digest(env.SYNC_ADMIN_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    // Digests have equal lengths, so the comparison takes the same time whatever was sent.
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) throw new UnauthorizedException('a valid bearer token (SYNC_ADMIN_TOKEN) is required');
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
