import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764000400000 implements MigrationInterface {
  name = 'CreateUsers1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
}
