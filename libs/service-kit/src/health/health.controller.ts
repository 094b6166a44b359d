import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { TopicAdmin } from '@cds/kafka';
import { KAFKA_HEALTH_PROBE } from '../messaging/messaging.tokens.js';

export interface CheckResult {
  status: 'up' | 'down';
  error?: string;
}

const CHECK_TIMEOUT_MS = 2000;

/** Readiness: 200 when the database and Kafka both answer, 503 naming what is down otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(KAFKA_HEALTH_PROBE) private readonly kafkaProbe: TopicAdmin,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, CheckResult> }> {
    const [database, kafka] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.kafkaProbe.ping(CHECK_TIMEOUT_MS)),
    ]);
    const healthy = database.status === 'up' && kafka.status === 'up';
    response.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: healthy ? 'ok' : 'unavailable', checks: { database, kafka } };
  }
}

async function probe(check: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await check();
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}
