import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { SourcesService, type AuthenticatedSource } from '../sources/sources.service.js';

export type RequestWithSource = Request & { source?: AuthenticatedSource };

/**
 * Segment authentication: HTTP Basic with the source's write key as user name
 * and an empty password (what every Segment SDK sends).
 */
@Injectable()
export class WriteKeyGuard implements CanActivate {
  constructor(private readonly sources: SourcesService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithSource>();
    const writeKey = basicUser(request.headers.authorization);
    if (!writeKey) throw new UnauthorizedException('missing write key: send HTTP Basic auth with the source write key as user name and an empty password');
    const source = await this.sources.authenticate(writeKey);
    if (!source) throw new UnauthorizedException('unknown or disabled write key');
    request.source = source;
    return true;
  }
}

function basicUser(header: string | undefined): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const user = decoded.split(':')[0] ?? '';
  return user.length > 0 ? user : null;
}
