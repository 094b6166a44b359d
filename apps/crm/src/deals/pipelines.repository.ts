import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CurrentStage, StageKind, StageSpec } from './stage-plan.js';

export interface StageView {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly probability: number;
  readonly kind: StageKind;
}

export interface PipelineView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly stages: readonly StageView[];
}

export interface StageOfPipeline extends StageView {
  readonly pipelineId: string;
}

const PIPELINE_SELECT = `
  SELECT p.id, p.name, p.created_at,
         coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'position', s.position, 'probability', s.probability::float8, 'kind', s.kind) ORDER BY s.position)
                   FROM pipeline_stages s WHERE s.pipeline_id = p.id), '[]') AS stages
  FROM pipelines p`;

/** Persistence of pipelines and their ordered stages; rules live in PipelinesService. */
@Injectable()
export class PipelinesRepository {
  async list(manager: EntityManager): Promise<PipelineView[]> {
    const rows = (await manager.query(`${PIPELINE_SELECT} ORDER BY p.created_at, p.id`)) as Record<string, unknown>[];
    return rows.map(toPipeline);
  }

  async find(manager: EntityManager, id: string): Promise<PipelineView | null> {
    const rows = (await manager.query(`${PIPELINE_SELECT} WHERE p.id = $1`, [id])) as Record<string, unknown>[];
    return rows[0] ? toPipeline(rows[0]) : null;
  }

  /** Locks the pipeline row: stage edits and deal moves into it are serialised. */
  async lock(manager: EntityManager, id: string): Promise<boolean> {
    const rows = (await manager.query('SELECT id FROM pipelines WHERE id = $1 FOR UPDATE', [id])) as unknown[];
    return rows.length > 0;
  }

  /** Keeps the pipeline's stages as they are (PATCH waits) while a deal enters one of them. */
  async holdStages(manager: EntityManager, id: string): Promise<void> {
    await manager.query('SELECT id FROM pipelines WHERE id = $1 FOR KEY SHARE', [id]);
  }

  /** The first pipeline created: the seeded "Sales" unless an admin removed it. */
  async firstId(manager: EntityManager): Promise<string | null> {
    const rows = (await manager.query('SELECT id FROM pipelines ORDER BY created_at, id LIMIT 1')) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  async insert(manager: EntityManager, name: string): Promise<string> {
    const rows = (await manager.query('INSERT INTO pipelines (name) VALUES ($1) RETURNING id', [name])) as { id: string }[];
    return (rows[0] as { id: string }).id;
  }

  async rename(manager: EntityManager, id: string, name: string): Promise<void> {
    await manager.query('UPDATE pipelines SET name = $2 WHERE id = $1', [id, name]);
  }

  async stagesWithDealCounts(manager: EntityManager, pipelineId: string): Promise<CurrentStage[]> {
    const rows = (await manager.query(
      `SELECT s.id, s.name, s.probability::float8 AS probability, s.kind, (SELECT count(*) FROM deals d WHERE d.stage_id = s.id)::int AS deal_count
       FROM pipeline_stages s WHERE s.pipeline_id = $1 ORDER BY s.position`,
      [pipelineId],
    )) as { id: string; name: string; probability: number; kind: StageKind; deal_count: number }[];
    return rows.map((row) => ({ id: row.id, name: row.name, probability: row.probability, kind: row.kind, dealCount: row.deal_count }));
  }

  async insertStage(manager: EntityManager, pipelineId: string, stage: StageSpec & { position: number }): Promise<void> {
    await manager.query('INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind) VALUES ($1, $2, $3, $4, $5)', [
      pipelineId,
      stage.name,
      stage.position,
      stage.probability,
      stage.kind,
    ]);
  }

  async updateStage(manager: EntityManager, stage: StageSpec & { id: string; position: number }): Promise<void> {
    await manager.query('UPDATE pipeline_stages SET name = $2, position = $3, probability = $4, kind = $5 WHERE id = $1', [stage.id, stage.name, stage.position, stage.probability, stage.kind]);
  }

  async deleteStages(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await manager.query('DELETE FROM pipeline_stages WHERE id = ANY($1::uuid[])', [ids]);
  }

  async findStage(manager: EntityManager, stageId: string): Promise<StageOfPipeline | null> {
    const rows = (await manager.query('SELECT id, pipeline_id, name, position, probability::float8 AS probability, kind FROM pipeline_stages WHERE id = $1', [stageId])) as {
      id: string;
      pipeline_id: string;
      name: string;
      position: number;
      probability: number;
      kind: StageKind;
    }[];
    const row = rows[0];
    return row ? { id: row.id, pipelineId: row.pipeline_id, name: row.name, position: row.position, probability: row.probability, kind: row.kind } : null;
  }
}

function toPipeline(row: Record<string, unknown>): PipelineView {
  return { id: row['id'] as string, name: row['name'] as string, createdAt: row['created_at'] as Date, stages: row['stages'] as StageView[] };
}
