import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCompanies1764000100000 implements MigrationInterface {
  name = 'CreateCompanies1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE companies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        -- Stored normalised (lower case, no scheme, no www.) by the service.
        domain text,
        industry text,
        size text,
        owner text,
        -- The domain a second time with dots as spaces, so "acme" finds acme.com.
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || coalesce(domain, '') || ' ' || replace(coalesce(domain, ''), '.', ' '))) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // One live company per domain.
    await queryRunner.query('CREATE UNIQUE INDEX companies_domain_live_idx ON companies (domain) WHERE deleted_at IS NULL AND domain IS NOT NULL');
    await queryRunner.query('CREATE INDEX companies_created_idx ON companies (created_at, id)');
    await queryRunner.query('CREATE INDEX companies_name_idx ON companies (lower(name), id)');
    await queryRunner.query('CREATE INDEX companies_search_idx ON companies USING gin (search)');

    await queryRunner.query('ALTER TABLE contacts ADD COLUMN company_id uuid REFERENCES companies (id)');
    await queryRunner.query('CREATE INDEX contacts_company_idx ON contacts (company_id) WHERE company_id IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE contacts DROP COLUMN company_id');
    await queryRunner.query('DROP TABLE companies');
  }
}
