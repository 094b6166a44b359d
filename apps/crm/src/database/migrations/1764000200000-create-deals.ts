import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeals1764000200000 implements MigrationInterface {
  name = 'CreateDeals1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
}
