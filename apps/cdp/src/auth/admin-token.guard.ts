import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';

/** The admin API (sources, profiles, erasure) takes `Authorization: Bearer <CDP_ADMIN_TOKEN>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(CDP_SETTINGS) private readonly settings: CdpSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const expected = Buffer.from(this.settings.adminToken);
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedException('admin API: send "Authorization: Bearer <CDP_ADMIN_TOKEN>"');
    }
    return true;
  }
}
