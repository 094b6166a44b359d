import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeals1764000200000 implements MigrationInterface {
  name = 'CreateDeals1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pipelines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX pipelines_name_idx ON pipelines (lower(name))');

    await queryRunner.query(`
      CREATE TABLE pipeline_stages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pipeline_id uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        name text NOT NULL,
        position integer NOT NULL CHECK (position >= 0),
        probability numeric(4, 3) NOT NULL CHECK (probability BETWEEN 0 AND 1),
        kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
        -- Deferred, so a reorder can swap positions inside one transaction.
        CONSTRAINT pipeline_stages_position_key UNIQUE (pipeline_id, position) DEFERRABLE INITIALLY DEFERRED,
        -- The target of deals' (pipeline_id, stage_id) key: a deal's stage is always one of its pipeline's.
        CONSTRAINT pipeline_stages_pipeline_id_key UNIQUE (pipeline_id, id)
      )`);

    await queryRunner.query(`
      CREATE TABLE deals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        pipeline_id uuid NOT NULL REFERENCES pipelines (id),
        stage_id uuid NOT NULL,
        amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        expected_close_date date,
        owner text,
        contact_id uuid REFERENCES contacts (id),
        -- No foreign key: companies belong to another module and may be re-created independently.
        company_id uuid,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        FOREIGN KEY (pipeline_id, stage_id) REFERENCES pipeline_stages (pipeline_id, id)
      )`);
    await queryRunner.query('CREATE INDEX deals_stage_idx ON deals (stage_id) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX deals_created_idx ON deals (created_at, id)');
    await queryRunner.query('CREATE INDEX deals_close_date_idx ON deals (expected_close_date) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX deals_closed_at_idx ON deals (closed_at) WHERE deleted_at IS NULL AND closed_at IS NOT NULL');
    await queryRunner.query('CREATE INDEX deals_contact_idx ON deals (contact_id)');

    await queryRunner.query(`
      CREATE TABLE deal_stage_history (
        id bigserial PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
        from_stage_id uuid REFERENCES pipeline_stages (id) ON DELETE SET NULL,
        to_stage_id uuid REFERENCES pipeline_stages (id) ON DELETE SET NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        actor_name text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX deal_stage_history_deal_idx ON deal_stage_history (deal_id, changed_at, id)');

    await queryRunner.query(`
      WITH sales AS (INSERT INTO pipelines (name) VALUES ('Sales') RETURNING id)
      INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind)
      SELECT sales.id, stage.name, stage.position, stage.probability, stage.kind
      FROM sales, (VALUES ('Lead', 0, 0.1, 'open'), ('Qualified', 1, 0.25, 'open'), ('Proposal', 2, 0.5, 'open'), ('Negotiation', 3, 0.75, 'open'),
                          ('Won', 4, 1.0, 'won'), ('Lost', 5, 0.0, 'lost')) AS stage (name, position, probability, kind)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deal_stage_history, deals, pipeline_stages, pipelines');
  }
}
