import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface StageTotalRow {
  readonly stageId: string;
  readonly name: string;
  readonly position: number;
  readonly kind: string;
  readonly probability: number;
  readonly currency: string | null;
  readonly count: number;
  readonly amount: string;
}

export interface ClosingDealRow {
  readonly id: string;
  readonly name: string;
  readonly stageName: string;
  readonly amount: string;
  readonly currency: string;
  readonly expectedCloseDate: string;
  readonly owner: string | null;
  readonly probability: number;
}

/** Read-only SQL behind the reports; live (not soft-deleted) rows only. */
@Injectable()
export class ReportsRepository {
  async pipeline(manager: EntityManager, id: string): Promise<{ id: string; name: string } | null> {
    const rows = (await manager.query('SELECT id, name FROM pipelines WHERE id = $1', [id])) as { id: string; name: string }[];
    return rows[0] ?? null;
  }

  async firstPipelineId(manager: EntityManager): Promise<string | null> {
    const rows = (await manager.query('SELECT id FROM pipelines ORDER BY created_at, id LIMIT 1')) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** One row per stage and currency (a stage without deals: one row with a null currency). */
  async stageTotals(manager: EntityManager, pipelineId: string): Promise<StageTotalRow[]> {
    const rows = (await manager.query(
      `SELECT s.id, s.name, s.position, s.kind, s.probability::float8 AS probability, d.currency, count(d.id)::int AS count, coalesce(sum(d.amount), 0)::numeric(16, 2)::text AS amount
       FROM pipeline_stages s LEFT JOIN deals d ON d.stage_id = s.id AND d.deleted_at IS NULL
       WHERE s.pipeline_id = $1 GROUP BY s.id, d.currency ORDER BY s.position, d.currency`,
      [pipelineId],
    )) as { id: string; name: string; position: number; kind: string; probability: number; currency: string | null; count: number; amount: string }[];
    return rows.map((row) => ({ stageId: row.id, name: row.name, position: row.position, kind: row.kind, probability: row.probability, currency: row.currency, count: row.count, amount: row.amount }));
  }

  async closedByOwner(manager: EntityManager, start: Date, end: Date): Promise<{ owner: string | null; won: number; lost: number }[]> {
    return (await manager.query(
      `SELECT d.owner, count(*) FILTER (WHERE s.kind = 'won')::int AS won, count(*) FILTER (WHERE s.kind = 'lost')::int AS lost
       FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
       WHERE d.deleted_at IS NULL AND s.kind IN ('won', 'lost') AND d.closed_at >= $1 AND d.closed_at < $2
       GROUP BY d.owner`,
      [start, end],
    )) as { owner: string | null; won: number; lost: number }[];
  }

  async openDealsClosingBetween(manager: EntityManager, from: string, before: string): Promise<ClosingDealRow[]> {
    const rows = (await manager.query(
      `SELECT d.id, d.name, s.name AS stage_name, d.amount::text AS amount, d.currency, d.expected_close_date::text AS expected_close_date, d.owner, s.probability::float8 AS probability
       FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
       WHERE d.deleted_at IS NULL AND s.kind = 'open' AND d.expected_close_date >= $1::date AND d.expected_close_date < $2::date
       ORDER BY d.expected_close_date, d.id`,
      [from, before],
    )) as { id: string; name: string; stage_name: string; amount: string; currency: string; expected_close_date: string; owner: string | null; probability: number }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      stageName: row.stage_name,
      amount: row.amount,
      currency: row.currency,
      expectedCloseDate: row.expected_close_date,
      owner: row.owner,
      probability: row.probability,
    }));
  }

  /** Empty while the tasks table does not exist (another module's migration creates it). */
  async overdueTasksByOwner(manager: EntityManager): Promise<{ owner: string | null; overdue: number }[]> {
    const exists = (await manager.query("SELECT to_regclass('tasks') IS NOT NULL AS exists")) as { exists: boolean }[];
    if (!exists[0]?.exists) return [];
    return (await manager.query(
      `SELECT owner, count(*)::int AS overdue FROM tasks WHERE due_at < now() AND completed_at IS NULL AND deleted_at IS NULL
       GROUP BY owner ORDER BY overdue DESC, owner NULLS LAST`,
    )) as { owner: string | null; overdue: number }[];
  }

  async topContactsByLtv(
    manager: EntityManager,
    limit: number,
  ): Promise<{ id: string; firstName: string | null; lastName: string | null; email: string | null; owner: string | null; ltv: string; currency: string | null }[]> {
    const rows = (await manager.query(
      `SELECT id, first_name, last_name, email, owner, ltv::text AS ltv, enrichment ->> 'currency' AS currency
       FROM contacts WHERE deleted_at IS NULL AND ltv IS NOT NULL ORDER BY ltv DESC, id LIMIT $1`,
      [limit],
    )) as { id: string; first_name: string | null; last_name: string | null; email: string | null; owner: string | null; ltv: string; currency: string | null }[];
    return rows.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, email: row.email, owner: row.owner, ltv: row.ltv, currency: row.currency }));
  }

  async contactsPerSegment(manager: EntityManager): Promise<{ segment: string; contacts: number }[]> {
    return (await manager.query(
      `SELECT segment, count(*)::int AS contacts FROM contacts, unnest(segment_keys) AS segment
       WHERE deleted_at IS NULL GROUP BY segment ORDER BY contacts DESC, segment`,
    )) as { segment: string; contacts: number }[];
  }
}
