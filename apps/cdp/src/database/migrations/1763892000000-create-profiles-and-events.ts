import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_TABLE_V1_DDL } from '@cds/service-kit';

export class CreateProfilesAndEvents1763892000000 implements MigrationInterface {
  name = 'CreateProfilesAndEvents1763892000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merged_into uuid REFERENCES profiles (id) ON DELETE SET NULL,
        traits jsonb NOT NULL DEFAULT '{}'::jsonb,
        consent jsonb NOT NULL DEFAULT '{}'::jsonb,
        version bigint NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX profiles_merged_into_idx ON profiles (merged_into) WHERE merged_into IS NOT NULL');
    await queryRunner.query('CREATE INDEX profiles_traits_idx ON profiles USING gin (traits jsonb_path_ops)');

    await queryRunner.query(`
      CREATE TABLE identities (
        type text NOT NULL,
        value text NOT NULL,
        profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (type, value)
      )`);
    await queryRunner.query('CREATE INDEX identities_profile_id_idx ON identities (profile_id)');

    await queryRunner.query(`
      CREATE TABLE identity_conflicts (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        profile_id uuid REFERENCES profiles (id) ON DELETE CASCADE,
        other_profile_id uuid REFERENCES profiles (id) ON DELETE CASCADE,
        identifier_type text NOT NULL,
        detail jsonb NOT NULL,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX identity_conflicts_profile_idx ON identity_conflicts (profile_id)');

    // Identifiers of erased profiles, hashed: events carrying them are dropped, not turned into a new profile.
    await queryRunner.query(`
      CREATE TABLE erased_identifiers (
        identifier_hash text PRIMARY KEY,
        erased_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        source_id uuid NOT NULL,
        message_id text NOT NULL,
        profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
        type text NOT NULL,
        event text,
        name text,
        user_id text,
        anonymous_id text,
        properties jsonb,
        traits jsonb,
        context jsonb,
        timestamp timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        UNIQUE (source_id, message_id)
      )`);
    await queryRunner.query('CREATE INDEX events_profile_timeline_idx ON events (profile_id, timestamp DESC, id DESC)');

    for (const statement of OUTBOX_TABLE_V1_DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox, events, erased_identifiers, identity_conflicts, identities, profiles');
  }
}
