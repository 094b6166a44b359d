import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateActivitiesTasksTickets1764000300000 implements MigrationInterface {
  name = 'CreateActivitiesTasksTickets1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // company_id and deal_id carry no foreign key: those tables belong to other modules and may be created after this one.
    await queryRunner.query(`
      CREATE TABLE activities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note')),
        subject text NOT NULL,
        body text CHECK (char_length(body) <= 20000),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        duration_minutes integer CHECK (duration_minutes >= 0 AND (duration_minutes IS NULL OR kind IN ('call', 'meeting'))),
        contact_id uuid REFERENCES contacts (id),
        company_id uuid,
        deal_id uuid,
        owner text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CHECK (contact_id IS NOT NULL OR company_id IS NOT NULL OR deal_id IS NOT NULL)
      )`);
    await queryRunner.query('CREATE INDEX activities_occurred_idx ON activities (occurred_at DESC, id DESC) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX activities_contact_idx ON activities (contact_id, occurred_at DESC) WHERE contact_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX activities_company_idx ON activities (company_id, occurred_at DESC) WHERE company_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX activities_deal_idx ON activities (deal_id, occurred_at DESC) WHERE deal_id IS NOT NULL');

    await queryRunner.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        notes text,
        due_at timestamptz,
        remind_at timestamptz CHECK (remind_at <= due_at),
        reminded_at timestamptz,
        owner text NOT NULL,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
        contact_id uuid REFERENCES contacts (id),
        company_id uuid,
        deal_id uuid,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX tasks_created_idx ON tasks (created_at DESC, id DESC) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX tasks_open_due_idx ON tasks (owner, due_at, id) WHERE deleted_at IS NULL AND completed_at IS NULL');
    // What the reminder loop scans every round: only reminders still to send.
    await queryRunner.query('CREATE INDEX tasks_pending_reminder_idx ON tasks (remind_at) WHERE reminded_at IS NULL AND completed_at IS NULL AND deleted_at IS NULL');

    await queryRunner.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject text NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        assignee text,
        contact_id uuid REFERENCES contacts (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        solved_at timestamptz,
        deleted_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX tickets_status_idx ON tickets (status, priority) WHERE deleted_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tickets, tasks, activities');
  }
}
