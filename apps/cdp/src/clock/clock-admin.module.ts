import { Module, type DynamicModule } from '@nestjs/common';
import { InsightsModule } from '../insights/insights.module.js';
import { ClockAdminController } from './clock-admin.controller.js';
import { ControllableClock } from './controllable-clock.js';

/** `GET/POST /v1/admin/clock`, registered only when the CDP runs on a controllable clock. */
@Module({})
export class ClockAdminModule {
  static forRoot(clock: ControllableClock): DynamicModule {
    return {
      module: ClockAdminModule,
      imports: [InsightsModule],
      controllers: [ClockAdminController],
      providers: [{ provide: ControllableClock, useValue: clock }],
    };
  }
}
