import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DealsClosingQueryDto, PipelineReportQueryDto, WinRateQueryDto } from './dtos/report-query.dto.js';
import { monthBounds, monthOf, reportPeriod, totalsByCurrency, winRatesByOwner, type CurrencyTotal, type WinRate } from './report-math.js';
import { ReportsRepository, type ClosingDealRow } from './reports.repository.js';

export interface PipelineReport {
  readonly pipeline: { id: string; name: string };
  readonly stages: readonly { stageId: string; name: string; position: number; kind: string; probability: number; count: number; totals: CurrencyTotal[] }[];
}

export interface WinRateReport {
  readonly from: string;
  readonly to: string;
  readonly overall: WinRate;
  readonly owners: readonly (WinRate & { owner: string | null })[];
}

export interface DealsClosingReport {
  readonly month: string;
  readonly from: string;
  readonly before: string;
  readonly deals: readonly ClosingDealRow[];
  readonly totals: readonly CurrencyTotal[];
}

/** Sales reports: SQL gathers, report-math weighs and bounds. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportsRepository,
  ) {}

  async pipeline(query: PipelineReportQueryDto): Promise<PipelineReport> {
    const manager = this.dataSource.manager;
    const pipelineId = query.pipelineId ?? (await this.reports.firstPipelineId(manager));
    const pipeline = pipelineId ? await this.reports.pipeline(manager, pipelineId) : null;
    if (!pipeline) throw new NotFoundException(query.pipelineId ? `no pipeline with id ${query.pipelineId}` : 'there is no pipeline');
    const rows = await this.reports.stageTotals(manager, pipeline.id);
    const stages = new Map<string, PipelineReport['stages'][number]>();
    for (const row of rows) {
      const stage = stages.get(row.stageId) ?? { stageId: row.stageId, name: row.name, position: row.position, kind: row.kind, probability: row.probability, count: 0, totals: [] };
      const totals = row.currency === null ? stage.totals : [...stage.totals, ...totalsByCurrency([{ currency: row.currency, amount: row.amount, probability: row.probability }])];
      stages.set(row.stageId, { ...stage, count: stage.count + row.count, totals });
    }
    return { pipeline, stages: [...stages.values()] };
  }

  async winRate(query: WinRateQueryDto): Promise<WinRateReport> {
    const period = reportPeriod(query.from, query.to, new Date());
    if (!period) throw new BadRequestException('from must not be after to');
    const rates = winRatesByOwner(await this.reports.closedByOwner(this.dataSource.manager, period.start, period.end));
    return { from: period.from, to: period.to, ...rates };
  }

  async dealsClosing(query: DealsClosingQueryDto): Promise<DealsClosingReport> {
    const month = query.month ?? monthOf(new Date());
    const { from, before } = monthBounds(month);
    const deals = await this.reports.openDealsClosingBetween(this.dataSource.manager, from, before);
    return { month, from, before, deals, totals: totalsByCurrency(deals) };
  }

  tasksOverdue(): ReturnType<ReportsRepository['overdueTasksByOwner']> {
    return this.reports.overdueTasksByOwner(this.dataSource.manager);
  }

  topContactsByLtv(limit: number): ReturnType<ReportsRepository['topContactsByLtv']> {
    return this.reports.topContactsByLtv(this.dataSource.manager, limit);
  }

  contactsPerSegment(): ReturnType<ReportsRepository['contactsPerSegment']> {
    return this.reports.contactsPerSegment(this.dataSource.manager);
  }
}
