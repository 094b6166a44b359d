import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProfileContactLinks1763888400000 implements MigrationInterface {
  name = 'CreateProfileContactLinks1763888400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profile_contact_links (
        profile_id text PRIMARY KEY,
        contact_id uuid NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX profile_contact_links_contact_id_idx ON profile_contact_links (contact_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE profile_contact_links');
  }
}
