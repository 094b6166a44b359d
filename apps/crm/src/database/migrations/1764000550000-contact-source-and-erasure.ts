import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the sync bridge's internal contacts endpoints need: a contact's source, and what erasure looks up and keeps. */
export class ContactSourceAndErasure1764000550000 implements MigrationInterface {
  name = 'ContactSourceAndErasure1764000550000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Who brought a contact in: `crm` (a person, the API or a CSV import) or `cdp` (created by the sync bridge for a known CDP customer).
    await queryRunner.query(`ALTER TABLE contacts ADD COLUMN source text NOT NULL DEFAULT 'crm' CHECK (source IN ('crm', 'cdp'))`);
    // An erasure finds the tasks and tickets of a contact to detach them (deals and activities have such indexes already).
    await queryRunner.query('CREATE INDEX tasks_contact_idx ON tasks (contact_id) WHERE contact_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX tickets_contact_idx ON tickets (contact_id) WHERE contact_id IS NOT NULL');
    // Emails of contacts erased on request, only as hashes: enough to refuse re-creating the person from the CDP, not to read them back.
    await queryRunner.query('CREATE TABLE erased_emails (email_hash text PRIMARY KEY, erased_at timestamptz NOT NULL DEFAULT now())');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE erased_emails');
    await queryRunner.query('DROP INDEX tickets_contact_idx, tasks_contact_idx');
    await queryRunner.query('ALTER TABLE contacts DROP COLUMN source');
  }
}
