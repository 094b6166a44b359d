import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/api-keys.service.js';

/** One audit_log row (who changed what), written in the transaction of the change it describes. */
export async function writeAudit(manager: EntityManager, actor: Principal, entity: string, entityId: string, action: string, changes: unknown): Promise<void> {
  await manager.query('INSERT INTO audit_log (actor_key_id, actor_name, entity, entity_id, action, changes) VALUES ($1, $2, $3, $4, $5, $6)', [
    actor.keyId,
    actor.name,
    entity,
    entityId,
    action,
    JSON.stringify(changes),
  ]);
}

/** An entity's audit trail, newest first. */
export async function auditTrail(manager: EntityManager, entity: string, entityId: string): Promise<{ actorName: string; action: string; changes: unknown; at: Date }[]> {
  const rows = (await manager.query('SELECT actor_name, action, changes, at FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY at DESC, id DESC LIMIT 200', [entity, entityId])) as {
    actor_name: string;
    action: string;
    changes: unknown;
    at: Date;
  }[];
  return rows.map((row) => ({ actorName: row.actor_name, action: row.action, changes: row.changes, at: row.at }));
}
