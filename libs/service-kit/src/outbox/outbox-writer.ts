import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { contractLabel, serializeContractValue, type MessageContract, type TopicDefinition } from '@cds/contracts';
import { contractHeaders } from '@cds/kafka';
import { OUTBOX_CHANNEL } from './outbox-table.js';

/**
 * Writes messages into the outbox inside the caller's transaction, so a message
 * exists exactly when the state change it describes was committed.
 */
@Injectable()
export class OutboxWriter {
  async enqueue<T extends object>(manager: EntityManager, contract: MessageContract<T>, values: readonly T[]): Promise<void> {
    if (values.length === 0) return;
    const headers = JSON.stringify(contractHeaders(contractLabel(contract), contract.schemaVersion));
    await this.insert(
      manager,
      values.map((value) => ({ topic: contract.topic.name, key: contract.keyOf(value), payload: serializeContractValue(contract, value), headers })),
    );
  }

  /** A null value on a compacted topic: consumers forget everything under the key. */
  async enqueueTombstone(manager: EntityManager, topic: TopicDefinition, key: string): Promise<void> {
    await this.insert(manager, [{ topic: topic.name, key, payload: null, headers: '{}' }]);
  }

  private async insert(manager: EntityManager, rows: { topic: string; key: string | null; payload: string | null; headers: string }[]): Promise<void> {
    // One round trip: the rows, and a notification the relay receives when the transaction commits.
    await manager.query(
      `WITH inserted AS (
         INSERT INTO outbox (topic, message_key, payload, headers)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) RETURNING 1)
       SELECT pg_notify($5, '') FROM (SELECT count(*) AS n FROM inserted) AS written`,
      [rows.map((row) => row.topic), rows.map((row) => row.key), rows.map((row) => row.payload), rows.map((row) => row.headers), OUTBOX_CHANNEL],
    );
  }
}
