import { BadRequestException, Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { JsonLogger } from '@cds/service-kit';
import { AdminTokenGuard } from '../auth/admin-token.guard.js';
import { ProfileReevaluationService } from '../insights/profile-reevaluation.service.js';
import { ClockMoveError, ControllableClock, parseClockMove } from './controllable-clock.js';

// As SegmentReevaluationScheduler claims: a round that takes a full claim may have left more due.
const CLAIM = 200;

export interface ClockView {
  readonly now: string;
}

/**
 * Moves the CDP's clock (only with `CDP_CLOCK=controllable`; otherwise the routes
 * do not exist). A move re-evaluates every profile whose segment window passed
 * at once, rather than at the scheduler's next round, so a window exit is
 * published as soon as the call answers.
 */
@Controller('v1/admin/clock')
@UseGuards(AdminTokenGuard)
export class ClockAdminController {
  constructor(
    private readonly clock: ControllableClock,
    private readonly reevaluation: ProfileReevaluationService,
    private readonly logger: JsonLogger,
  ) {}

  @Get()
  current(): ClockView {
    return { now: this.clock.now().toISOString() };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  async move(@Body() body: unknown): Promise<ClockView & { reevaluated: number }> {
    let now: Date;
    try {
      now = this.clock.move(parseClockMove(body));
    } catch (error) {
      if (error instanceof ClockMoveError) throw new BadRequestException(error.message);
      throw error;
    }
    this.logger.pino.info({ now: now.toISOString() }, 'clock moved');
    let reevaluated = 0;
    let round: number;
    do {
      round = await this.reevaluation.reevaluateDue(CLAIM);
      reevaluated += round;
    } while (round === CLAIM);
    return { now: now.toISOString(), reevaluated };
  }
}
