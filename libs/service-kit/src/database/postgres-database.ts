import pg from 'pg';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import type { JsonLogger } from '../logging/json-logger.js';
import { SLOW_QUERY_MS, TypeOrmJsonLogger } from './typeorm-json-logger.js';

export interface ServiceDatabase {
  readonly url: string;
  /** Entity classes, listed explicitly: ESM builds have no reliable file globbing. */
  readonly entities: readonly (new () => object)[];
  /** Migration classes in the order they apply. */
  readonly migrations: readonly (new () => MigrationInterface)[];
}

/** Migrations only, never `synchronize`: the schema is what the committed migrations say. */
export function postgresDataSourceOptions(database: ServiceDatabase, logger?: JsonLogger): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    entities: [...database.entities],
    migrations: [...database.migrations],
    migrationsRun: false,
    synchronize: false,
    // Migrations use Postgres' built-in gen_random_uuid(); no extension is needed or installed.
    installExtensions: false,
    logging: ['error', 'warn', 'migration', 'log'],
    maxQueryExecutionTime: SLOW_QUERY_MS,
    ...(logger ? { logger: new TypeOrmJsonLogger(logger) } : {}),
    extra: { max: 20, connectionTimeoutMillis: 3000, application_name: databaseName(database.url) },
  };
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/**
 * Creates the service's database when the server lacks it, so pointing a service
 * at any Postgres server is enough. Safe when several instances race to create it.
 */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const name = databaseName(url);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        // Another instance won the race: duplicate_database, or the catalogue's unique index.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations under a Postgres advisory lock: when several instances
 * of a service start together, one migrates and the others wait, then find nothing to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource, lockName: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockKey = `migrations:${lockName}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await runner.release();
  }
}

/** Opens the pool, creating the database and applying migrations first. */
export async function openServiceDatabase(database: ServiceDatabase, logger?: JsonLogger): Promise<DataSource> {
  await ensureDatabaseExists(database.url);
  const dataSource = new DataSource(postgresDataSourceOptions(database, logger));
  await dataSource.initialize();
  try {
    await runMigrationsExclusively(dataSource, databaseName(database.url));
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
