import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInsightsAndSegments1763978400000 implements MigrationInterface {
  name = 'CreateInsightsAndSegments1763978400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per live profile: the accumulated aggregates (never event content),
    // the model scores, and the snapshot last published with its version.
    await queryRunner.query(`
      CREATE TABLE profile_insights (
        profile_id uuid PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
        state jsonb NOT NULL,
        snapshot jsonb,
        version bigint NOT NULL DEFAULT 0,
        lifetime_value numeric(14, 2) NOT NULL DEFAULT 0,
        order_count integer NOT NULL DEFAULT 0,
        first_order_at timestamptz,
        last_order_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The population the models are fitted on: customers with at least one order.
    await queryRunner.query('CREATE INDEX profile_insights_buyers_idx ON profile_insights (first_order_at) WHERE order_count > 0');

    await queryRunner.query(`
      CREATE TABLE insight_models (
        name text PRIMARY KEY,
        parameters jsonb NOT NULL,
        population integer NOT NULL,
        fitted_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE segments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        rule jsonb NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        backfill_status text NOT NULL DEFAULT 'pending',
        backfill_processed bigint NOT NULL DEFAULT 0,
        backfill_total bigint,
        backfill_started_at timestamptz,
        backfill_finished_at timestamptz,
        -- A running back-fill touches this every chunk; a stale one was abandoned by a crashed instance.
        backfill_heartbeat_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX segments_key_live_idx ON segments (key) WHERE deleted_at IS NULL');

    // Every stay of a profile in a segment: open while exited_at is null. The open
    // rows are the current members; all rows are the membership history.
    await queryRunner.query(`
      CREATE TABLE segment_memberships (
        id bigserial PRIMARY KEY,
        segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
        profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
        entered_at timestamptz NOT NULL,
        exited_at timestamptz
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX segment_memberships_current_idx ON segment_memberships (segment_id, profile_id) WHERE exited_at IS NULL');
    await queryRunner.query('CREATE INDEX segment_memberships_profile_idx ON segment_memberships (profile_id, entered_at)');

    // When a profile's membership may change with no new event (a window passing).
    await queryRunner.query(`
      CREATE TABLE segment_reevaluations (
        profile_id uuid PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
        due_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX segment_reevaluations_due_idx ON segment_reevaluations (due_at)');
    // Event conditions read a profile's events by name within a window.
    await queryRunner.query('CREATE INDEX events_profile_event_time_idx ON events (profile_id, event, timestamp) WHERE type = \'track\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX events_profile_event_time_idx');
    await queryRunner.query('DROP TABLE segment_reevaluations, segment_memberships, segments, insight_models, profile_insights');
  }
}
