import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { READERS, Roles } from '../auth/roles.decorator.js';
import { DealsClosingQueryDto, PipelineReportQueryDto, TopContactsQueryDto, WinRateQueryDto } from './dtos/report-query.dto.js';
import { ReportsService, type DealsClosingReport, type PipelineReport, type WinRateReport } from './reports.service.js';

@Controller('v1/reports')
@UseGuards(ApiKeyGuard)
@Roles(...READERS)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('pipeline')
  pipeline(@Query() query: PipelineReportQueryDto): Promise<PipelineReport> {
    return this.reports.pipeline(query);
  }

  @Get('win-rate')
  winRate(@Query() query: WinRateQueryDto): Promise<WinRateReport> {
    return this.reports.winRate(query);
  }

  @Get('deals-closing')
  dealsClosing(@Query() query: DealsClosingQueryDto): Promise<DealsClosingReport> {
    return this.reports.dealsClosing(query);
  }

  @Get('tasks-overdue')
  tasksOverdue(): ReturnType<ReportsService['tasksOverdue']> {
    return this.reports.tasksOverdue();
  }

  @Get('top-contacts-by-ltv')
  topContactsByLtv(@Query() query: TopContactsQueryDto): ReturnType<ReportsService['topContactsByLtv']> {
    return this.reports.topContactsByLtv(query.limit);
  }

  @Get('contacts-per-segment')
  contactsPerSegment(): ReturnType<ReportsService['contactsPerSegment']> {
    return this.reports.contactsPerSegment();
  }
}
