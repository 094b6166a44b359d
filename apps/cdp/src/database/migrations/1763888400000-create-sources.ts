import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSources1763888400000 implements MigrationInterface {
  name = 'CreateSources1763888400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        channel text NOT NULL CHECK (channel IN ('web', 'app', 'email', 'pos', 'crm', 'server', 'import')),
        write_key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sources');
  }
}
