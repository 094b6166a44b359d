import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/api-keys.service.js';

/** One audit_log row, written in the transaction of the change it describes. */
export async function writeAudit(manager: EntityManager, actor: Principal, entity: 'deal' | 'pipeline', entityId: string, action: string, changes: unknown): Promise<void> {
  await manager.query('INSERT INTO audit_log (actor_key_id, actor_name, entity, entity_id, action, changes) VALUES ($1, $2, $3, $4, $5, $6)', [
    actor.keyId,
    actor.name,
    entity,
    entityId,
    action,
    JSON.stringify(changes),
  ]);
}
