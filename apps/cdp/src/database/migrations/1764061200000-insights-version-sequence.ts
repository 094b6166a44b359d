import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InsightsVersionSequence1764061200000 implements MigrationInterface {
  name = 'InsightsVersionSequence1764061200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Insight snapshot versions come from one sequence rather than a counter per
    // profile: a consumer that held a merged-away profile's version (the CRM keeps
    // one per contact) then always sees the survivor's next snapshot as newer.
    // It starts above every version handed out so far, so each profile's versions keep rising.
    await queryRunner.query('CREATE SEQUENCE profile_insights_version_seq AS bigint');
    await queryRunner.query(`SELECT setval('profile_insights_version_seq', coalesce((SELECT max(version) FROM profile_insights), 0) + 1, false)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SEQUENCE profile_insights_version_seq');
  }
}
