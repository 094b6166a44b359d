import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764000400000 implements MigrationInterface {
  name = 'CreateUsers1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The people who own records (contacts, deals, tickets). Deactivated, never deleted: their records keep an owner.
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'sales_rep', 'read_only')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz,
        CHECK (active = (deactivated_at IS NULL))
      )`);
    // Normalised (lower-cased, trimmed) by the service; unique even among deactivated users, who can be reactivated.
    await queryRunner.query('CREATE UNIQUE INDEX users_email_idx ON users (email)');
    await queryRunner.query('CREATE INDEX users_name_idx ON users (name, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE users');
  }
}
