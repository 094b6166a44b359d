import type { EntityManager } from 'typeorm';

/**
 * Serialises the creation and the erasure of one email: without it, a creation
 * that checked `erased_emails` before an erasure committed would insert its
 * contact right after the erasure deleted the old one, and bring the person
 * back. Transaction-scoped advisory locks, in the `contact-email` key space,
 * taken in key order so two batches cannot deadlock.
 */
export async function lockEmails(manager: EntityManager, emails: readonly string[]): Promise<void> {
  if (emails.length === 0) return;
  // Normalised here as the CRM stores emails: Postgres' lower() under the C locale leaves non-ASCII letters as they are.
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtext('contact-email'), key)
     FROM (SELECT DISTINCT hashtext(email) AS key FROM unnest($1::text[]) AS email ORDER BY key) AS keys`,
    [emails.map((email) => email.trim().toLowerCase())],
  );
}
