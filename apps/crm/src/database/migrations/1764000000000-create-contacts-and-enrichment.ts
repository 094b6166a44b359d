import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_TABLE_V1_DDL } from '@cds/service-kit';

export class CreateContactsAndEnrichment1764000000000 implements MigrationInterface {
  name = 'CreateContactsAndEnrichment1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name text,
        last_name text,
        email text,
        phone text,
        company_name text,
        owner text,
        lifecycle_stage text NOT NULL DEFAULT 'lead',
        version bigint NOT NULL DEFAULT 1,
        -- Read-only block written by the sync bridge: computed CDP insights, never raw events.
        enrichment jsonb,
        enrichment_version bigint NOT NULL DEFAULT 0,
        enrichment_synced_at timestamptz,
        cdp_profile_id uuid,
        ltv numeric(14, 2) GENERATED ALWAYS AS ((enrichment #>> '{lifetimeValue}')::numeric) STORED,
        churn_risk double precision GENERATED ALWAYS AS ((enrichment #>> '{churnRisk}')::double precision) STORED,
        segment_keys text[] NOT NULL DEFAULT '{}',
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, ''))) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // One live contact per normalised email.
    await queryRunner.query('CREATE UNIQUE INDEX contacts_email_live_idx ON contacts (email) WHERE deleted_at IS NULL AND email IS NOT NULL');
    await queryRunner.query('CREATE INDEX contacts_created_idx ON contacts (created_at, id)');
    // The exact sort keys of `sort=-ltv` and `sort=-churnRisk` (nulls as -1, keyset on id), so a page is an index range.
    await queryRunner.query('CREATE INDEX contacts_ltv_idx ON contacts ((coalesce(ltv, -1)) DESC, id DESC) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX contacts_churn_risk_idx ON contacts ((coalesce(churn_risk, -1)) DESC, id DESC) WHERE deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX contacts_segments_idx ON contacts USING gin (segment_keys)');
    await queryRunner.query('CREATE INDEX contacts_search_idx ON contacts USING gin (search)');
    await queryRunner.query('CREATE INDEX contacts_profile_idx ON contacts (cdp_profile_id)');

    // The contact's timeline: activities, and summarised insight changes from the CDP.
    await queryRunner.query(`
      CREATE TABLE contact_timeline (
        id bigserial PRIMARY KEY,
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        kind text NOT NULL,
        summary text NOT NULL,
        detail jsonb,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX contact_timeline_contact_idx ON contact_timeline (contact_id, occurred_at DESC, id DESC)');

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        actor_key_id uuid,
        actor_name text NOT NULL,
        entity text NOT NULL,
        entity_id uuid NOT NULL,
        action text NOT NULL,
        changes jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at DESC)');

    for (const statement of OUTBOX_TABLE_V1_DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox, audit_log, contact_timeline, contacts');
  }
}
