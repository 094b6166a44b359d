import { BadRequestException, Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { SyncLogRow } from './sync-log-entry.js';
import { parseSyncLogQuery, SyncLogQueryError } from './sync-log-query.js';
import { SyncLogStore } from './sync-log.store.js';
import { SyncAdminGuard } from './sync-admin.guard.js';

/** GET /v1/sync-log: what the bridge applied and failed to apply recently, newest first. */
@Controller('v1/sync-log')
@UseGuards(SyncAdminGuard)
export class SyncLogController {
  constructor(private readonly store: SyncLogStore) {}

  @Get()
  list(@Query() raw: Record<string, unknown>): Promise<{ data: SyncLogRow[]; nextCursor: string | null }> {
    try {
      return this.store.query(parseSyncLogQuery(raw));
    } catch (error) {
      if (error instanceof SyncLogQueryError) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', parameter: error.parameter, message: error.message });
      throw error;
    }
  }
}
