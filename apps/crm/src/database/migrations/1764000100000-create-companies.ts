import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCompanies1764000100000 implements MigrationInterface {
  name = 'CreateCompanies1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
}
