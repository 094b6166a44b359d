import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface BuyerRow {
  readonly orderCount: number;
  readonly lifetimeValue: number;
  readonly firstOrderAt: Date;
  readonly lastOrderAt: Date;
}

/** Persistence of the fitted population models, and the population they are fitted on. */
@Injectable()
export class InsightModelsRepository {
  async load(manager: EntityManager): Promise<Map<string, { parameters: unknown; fittedAt: Date }>> {
    const rows = (await manager.query('SELECT name, parameters, fitted_at FROM insight_models')) as { name: string; parameters: unknown; fitted_at: Date }[];
    return new Map(rows.map((row) => [row.name, { parameters: row.parameters, fittedAt: row.fitted_at }]));
  }

  async save(manager: EntityManager, name: string, parameters: unknown, population: number, fittedAt: Date): Promise<void> {
    await manager.query(
      `INSERT INTO insight_models (name, parameters, population, fitted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET parameters = excluded.parameters, population = excluded.population, fitted_at = excluded.fitted_at`,
      [name, JSON.stringify(parameters), population, fittedAt],
    );
  }

  /** Every customer with an order (for RFM quantiles), or a uniform sample of them (for model fits). */
  async buyers(manager: EntityManager, sample: number | null): Promise<BuyerRow[]> {
    const rows = (await manager.query(
      `SELECT order_count, lifetime_value, first_order_at, last_order_at FROM profile_insights
        WHERE order_count > 0 AND first_order_at IS NOT NULL ${sample === null ? '' : 'ORDER BY random() LIMIT $1'}`,
      sample === null ? [] : [sample],
    )) as { order_count: number; lifetime_value: string; first_order_at: Date; last_order_at: Date }[];
    return rows.map((row) => ({ orderCount: row.order_count, lifetimeValue: Number(row.lifetime_value), firstOrderAt: row.first_order_at, lastOrderAt: row.last_order_at }));
  }

  /** Profiles with orders, in id order after `afterId`: the ones whose scores a new fit changes. */
  async buyerIdsAfter(manager: EntityManager, afterId: string | null, limit: number): Promise<string[]> {
    const rows = (await manager.query('SELECT profile_id FROM profile_insights WHERE order_count > 0 AND ($1::uuid IS NULL OR profile_id > $1) ORDER BY profile_id LIMIT $2', [
      afterId,
      limit,
    ])) as { profile_id: string }[];
    return rows.map((row) => row.profile_id);
  }
}
