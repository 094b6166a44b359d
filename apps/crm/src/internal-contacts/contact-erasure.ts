import { createHash } from 'node:crypto';
import type { ContactChangedV1 } from '@cds/contracts';
import { contactChange } from '../contacts/contact-change.js';

/**
 * Records that point at a contact and stay when it is erased: they are the
 * business's record (a deal's amount, a ticket's resolution), so they lose the
 * link to the person instead of being deleted. Entity names as in the audit log.
 */
export const DETACHED_ON_ERASURE = [
  { table: 'deals', entity: 'deal' },
  { table: 'activities', entity: 'activity' },
  { table: 'tasks', entity: 'task' },
  { table: 'tickets', entity: 'ticket' },
] as const;

/**
 * The `deleted` change an erasure publishes: the contact id and the version
 * after the last one published, and none of the person's fields (the CDP, which
 * asked for the erasure, ignores deletions, so nothing re-creates the person).
 */
export function erasureChange(contactId: string, lastVersion: number): ContactChangedV1 {
  return contactChange({ id: contactId, version: lastVersion + 1, email: null, phone: null, firstName: null, lastName: null, companyName: null }, 'deleted');
}

/**
 * The contacts one erasure takes: the requested ones and, transitively, the
 * contacts merged into them (soft-deleted copies of the same person), given
 * `mergedInto(ids)` that names the contacts merged into any of `ids`.
 */
export async function erasureClosure(requested: readonly string[], mergedInto: (ids: readonly string[]) => Promise<readonly string[]>): Promise<string[]> {
  const all = new Set(requested.map((id) => id.toLowerCase()));
  let frontier = [...all];
  while (frontier.length > 0) {
    frontier = (await mergedInto(frontier)).map((id) => id.toLowerCase()).filter((id) => !all.has(id));
    for (const id of frontier) all.add(id);
  }
  return [...all].sort();
}

/** An erased contact's email is kept only as this hash: enough to refuse re-creating the person, not to read it back. */
export function erasedEmailHash(email: string): string {
  return createHash('sha256').update(`email:${email.trim().toLowerCase()}`).digest('hex');
}
