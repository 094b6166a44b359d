import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import { DEAL_SORT_KEYS, DealsRepository, type DealFields, type DealRow, type StageChange } from './deals.repository.js';
import type { CreateDealDto, ListDealsQueryDto, UpdateDealDto } from './dtos/deal.dto.js';
import { decodeCursor, toPage, type Page, type PagePosition } from '../common/pagination.js';
import { PipelinesRepository, type StageOfPipeline } from './pipelines.repository.js';

/** What a cursor's key must look like for each sort key type (Postgres's own text forms). */
const CURSOR_KEY_PATTERNS = {
  timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
  date: /^(-?infinity|\d{4}-\d{2}-\d{2})$/,
  numeric: /^\d{1,12}(\.\d{1,2})?$/,
} as const;

/**
 * Deals move through the ordered stages of their own pipeline; every move is
 * kept in the stage history, and reaching a won or lost stage closes the deal.
 */
@Injectable()
export class DealsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deals: DealsRepository,
    private readonly pipelines: PipelinesRepository,
  ) {}

  async create(dto: CreateDealDto, actor: Principal): Promise<DealRow> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const pipelineId = dto.pipelineId ?? (await this.pipelines.firstId(manager));
      if (pipelineId) await this.pipelines.holdStages(manager, pipelineId);
      const pipeline = pipelineId ? await this.pipelines.find(manager, pipelineId) : null;
      if (!pipeline) throw new BadRequestException(dto.pipelineId ? `no pipeline with id ${dto.pipelineId}` : 'there is no pipeline: an admin must create one first');
      const stage = dto.stageId ? await this.stageOf(manager, pipeline.id, dto.stageId) : pipeline.stages.find((candidate) => candidate.kind === 'open');
      if (!stage) throw new BadRequestException(`pipeline ${pipeline.name} has no open stage to start a deal in`);
      await this.checkContact(manager, dto.contactId);
      const fields: DealFields = {
        name: dto.name,
        pipelineId: pipeline.id,
        stageId: stage.id,
        amount: dto.amount,
        currency: dto.currency,
        expectedCloseDate: dto.expectedCloseDate,
        owner: dto.owner,
        contactId: dto.contactId,
        companyId: dto.companyId,
        closed: stage.kind !== 'open',
      };
      const id = await this.deals.insert(manager, fields);
      await this.deals.addStageChange(manager, id, null, stage.id, actor.name);
      await writeAudit(manager, actor, 'deal', id, 'created', { ...fields, closed: undefined });
      return (await this.deals.find(manager, id)) as DealRow;
    });
  }

  async update(id: string, dto: UpdateDealDto, actor: Principal): Promise<DealRow> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const current = await this.deals.find(manager, id, { lock: true });
      if (!current) throw new NotFoundException(`no deal with id ${id}`);
      await this.checkContact(manager, dto.contactId);
      const fields: DealFields = {
        name: dto.name,
        amount: dto.amount,
        currency: dto.currency,
        expectedCloseDate: dto.expectedCloseDate,
        owner: dto.owner,
        contactId: dto.contactId,
        companyId: dto.companyId,
      };
      const changes: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      if (dto.stageId !== undefined && dto.stageId !== current.stageId) {
        await this.pipelines.holdStages(manager, current.pipelineId);
        const stage = await this.stageOf(manager, current.pipelineId, dto.stageId);
        fields.stageId = stage.id;
        // Won to lost (or back) is a new close; reopening clears it.
        fields.closed = stage.kind !== 'open';
        changes['stage'] = { from: current.stageName, to: stage.name };
        await this.deals.addStageChange(manager, id, current.stageId, stage.id, actor.name);
      }
      if (Object.keys(changes).length === 0) return current;
      await this.deals.update(manager, id, fields);
      await writeAudit(manager, actor, 'deal', id, 'updated', changes);
      return (await this.deals.find(manager, id)) as DealRow;
    });
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await retryingTransaction(this.dataSource, async (manager) => {
      if (!(await this.deals.find(manager, id, { lock: true }))) throw new NotFoundException(`no deal with id ${id}`);
      await this.deals.setDeleted(manager, id, true);
      await writeAudit(manager, actor, 'deal', id, 'deleted', null);
    });
  }

  async restore(id: string, actor: Principal): Promise<DealRow> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const current = await this.deals.find(manager, id, { includeDeleted: true, lock: true });
      if (!current?.deletedAt) throw new NotFoundException(`no deleted deal with id ${id}`);
      await this.deals.setDeleted(manager, id, false);
      await writeAudit(manager, actor, 'deal', id, 'restored', null);
      return (await this.deals.find(manager, id)) as DealRow;
    });
  }

  async get(id: string): Promise<DealRow & { stageHistory: StageChange[] }> {
    const deal = await this.deals.find(this.dataSource.manager, id);
    if (!deal) throw new NotFoundException(`no deal with id ${id}`);
    return { ...deal, stageHistory: await this.deals.stageHistory(this.dataSource.manager, id) };
  }

  async list(query: ListDealsQueryDto): Promise<Page<DealRow>> {
    const after = decodeCursor(query.cursor);
    if (query.cursor !== undefined && !isCursorFor(after, query.sort)) throw new BadRequestException('cursor is not one this API handed out for this sort');
    return toPage(await this.deals.list(this.dataSource.manager, query, query.sort, query.limit + 1, after), query.limit);
  }

  /** The stage, when it is one of the pipeline's: a deal never jumps to another pipeline's stage. */
  private async stageOf(manager: EntityManager, pipelineId: string, stageId: string): Promise<StageOfPipeline> {
    const stage = await this.pipelines.findStage(manager, stageId);
    if (!stage) throw new BadRequestException(`no stage with id ${stageId}`);
    if (stage.pipelineId !== pipelineId) throw new BadRequestException(`stage ${stage.name} (${stageId}) belongs to another pipeline than the deal's`);
    return stage;
  }

  private async checkContact(manager: EntityManager, contactId: string | null | undefined): Promise<void> {
    if (contactId && !(await this.deals.contactIsLive(manager, contactId))) throw new BadRequestException(`no contact with id ${contactId}`);
  }
}

function isCursorFor(position: PagePosition | null, sort: ListDealsQueryDto['sort']): position is PagePosition {
  return position !== null && CURSOR_KEY_PATTERNS[DEAL_SORT_KEYS[sort].type].test(position.key);
}
