import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enrichment update each unmatched profile is waiting to deliver, so it can
 * be applied as soon as the CRM publishes a contact it matches; GIN indexes for
 * that lookup by email and by CRM contact id.
 */
export class AddUnmatchedPendingUpdate1763888600000 implements MigrationInterface {
  name = 'AddUnmatchedPendingUpdate1763888600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE unmatched_profiles ADD COLUMN pending_update jsonb');
    await queryRunner.query('UPDATE unmatched_profiles SET emails = ARRAY(SELECT lower(e) FROM unnest(emails) AS e), crm_contact_ids = ARRAY(SELECT lower(c) FROM unnest(crm_contact_ids) AS c)');
    await queryRunner.query('CREATE INDEX unmatched_profiles_emails_idx ON unmatched_profiles USING gin (emails)');
    await queryRunner.query('CREATE INDEX unmatched_profiles_crm_contact_ids_idx ON unmatched_profiles USING gin (crm_contact_ids)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX unmatched_profiles_crm_contact_ids_idx');
    await queryRunner.query('DROP INDEX unmatched_profiles_emails_idx');
    await queryRunner.query('ALTER TABLE unmatched_profiles DROP COLUMN pending_update');
  }
}
