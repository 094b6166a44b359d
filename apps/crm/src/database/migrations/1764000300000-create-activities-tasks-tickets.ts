import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateActivitiesTasksTickets1764000300000 implements MigrationInterface {
  name = 'CreateActivitiesTasksTickets1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
}
