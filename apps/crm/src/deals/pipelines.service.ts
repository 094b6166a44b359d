import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import type { CreatePipelineDto, UpdatePipelineDto } from './dtos/pipeline.dto.js';
import { PipelinesRepository, type PipelineView } from './pipelines.repository.js';
import { isStageProblem, planStageChanges, stagesProblem, type StageProblem } from './stage-plan.js';

/** Pipelines and their ordered stages; a stage that still holds deals is never removed. */
@Injectable()
export class PipelinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pipelines: PipelinesRepository,
  ) {}

  list(): Promise<PipelineView[]> {
    return this.pipelines.list(this.dataSource.manager);
  }

  async create(dto: CreatePipelineDto, actor: Principal): Promise<PipelineView> {
    const problem = stagesProblem(dto.stages);
    if (problem) throw toException(problem);
    return this.write(async (manager) => {
      const id = await this.pipelines.insert(manager, dto.name);
      for (const [position, stage] of dto.stages.entries()) await this.pipelines.insertStage(manager, id, { name: stage.name, probability: stage.probability, kind: stage.kind, position });
      const pipeline = (await this.pipelines.find(manager, id)) as PipelineView;
      await writeAudit(manager, actor, 'pipeline', id, 'created', pipeline);
      return pipeline;
    });
  }

  async update(id: string, dto: UpdatePipelineDto, actor: Principal): Promise<PipelineView> {
    return this.write(async (manager) => {
      if (!(await this.pipelines.lock(manager, id))) throw new NotFoundException(`no pipeline with id ${id}`);
      if (dto.name !== undefined) await this.pipelines.rename(manager, id, dto.name);
      if (dto.stages !== undefined) {
        const plan = planStageChanges(await this.pipelines.stagesWithDealCounts(manager, id), dto.stages);
        if (isStageProblem(plan)) throw toException(plan);
        await this.pipelines.deleteStages(manager, plan.removals);
        for (const stage of plan.updates) await this.pipelines.updateStage(manager, stage);
        for (const stage of plan.inserts) await this.pipelines.insertStage(manager, id, stage);
      }
      const pipeline = (await this.pipelines.find(manager, id)) as PipelineView;
      await writeAudit(manager, actor, 'pipeline', id, 'updated', dto);
      return pipeline;
    });
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '23505') throw new ConflictException('a pipeline with this name already exists', { cause: error });
      // A deal entered a stage between the count and the removal.
      if (code === '23503') throw new ConflictException('a removed stage still has deals: move them to another stage first', { cause: error });
      throw error;
    }
  }
}

function toException(problem: StageProblem): Error {
  return problem.problem === 'conflict' ? new ConflictException(problem.message) : new BadRequestException(problem.message);
}
