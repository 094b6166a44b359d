import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recent applications and failures of the bridge, for operators (GET /v1/sync-log).
 * Newest first by id; the indexes serve the per-profile and per-contact lookups
 * and the retention prune by time.
 */
export class CreateSyncLog1763888700000 implements MigrationInterface {
  name = 'CreateSyncLog1763888700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_log (
        id bigserial PRIMARY KEY,
        logged_at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        profile_id text,
        contact_id text,
        version bigint,
        source_topic text,
        source_partition integer,
        source_offset bigint,
        reason text
      )`);
    await queryRunner.query('CREATE INDEX sync_log_logged_at_idx ON sync_log (logged_at)');
    await queryRunner.query('CREATE INDEX sync_log_profile_idx ON sync_log (profile_id, id) WHERE profile_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX sync_log_contact_idx ON sync_log (contact_id, id) WHERE contact_id IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sync_log');
  }
}
