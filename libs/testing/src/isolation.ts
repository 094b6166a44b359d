import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withPostgresClient } from '@cds/local-infra';
import { testInfrastructure } from './test-infrastructure.js';

/** Lower-case, short, unique: safe in database and topic names. */
export function uniqueName(label: string): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  return `${slug}_${randomBytes(4).toString('hex')}`;
}

/** A topic prefix no other test file uses, so test files never see each other's messages. */
export function uniqueTopicPrefix(label: string): string {
  return `t.${uniqueName(label).replace(/_/g, '-')}.`;
}

export interface IsolatedDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's Postgres server, for one test file. */
export async function createIsolatedDatabase(label: string): Promise<IsolatedDatabase> {
  const { postgresUrl } = testInfrastructure();
  const name = uniqueName(label);
  await withPostgresClient(postgresUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropTestDatabase(name),
  };
}

/** Drops a database of this run's Postgres server, even with connections still open. */
export async function dropTestDatabase(name: string): Promise<void> {
  await withPostgresClient(testInfrastructure().postgresUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}
