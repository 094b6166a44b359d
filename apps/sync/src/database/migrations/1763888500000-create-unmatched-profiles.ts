import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Profiles the CRM had no contact for, and the last insights version sent per linked profile. */
export class CreateUnmatchedProfiles1763888500000 implements MigrationInterface {
  name = 'CreateUnmatchedProfiles1763888500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE profile_contact_links ADD COLUMN last_version bigint NOT NULL DEFAULT 0');
    await queryRunner.query(`
      CREATE TABLE unmatched_profiles (
        profile_id text PRIMARY KEY,
        version bigint NOT NULL,
        emails text[] NOT NULL DEFAULT '{}',
        crm_contact_ids text[] NOT NULL DEFAULT '{}',
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE unmatched_profiles');
    await queryRunner.query('ALTER TABLE profile_contact_links DROP COLUMN last_version');
  }
}
