import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot } from '../repo/repo-root.js';
import { ensureMaven } from './java-tools.js';
import { kafkaVersionFromPom } from './kafka-config.js';

const run = promisify(execFile);

/** Where the jars of one Kafka version live, and the pom that fetches them. */
export interface KafkaJarCache {
  readonly version: string;
  readonly pom: string;
  readonly libsDir: string;
}

export async function kafkaJarCache(repoRoot = findRepoRoot()): Promise<KafkaJarCache> {
  const pom = path.join(repoRoot, 'tools', 'kafka', 'pom.xml');
  const version = kafkaVersionFromPom(await readFile(pom, 'utf8'));
  if (!version) throw new Error(`${pom} does not declare <kafka.version>`);
  return { version, pom, libsDir: path.join(repoRoot, '.local', 'cache', `kafka-${version}`, 'libs') };
}

// Calls in one process share one download.
let pending: Promise<string> | undefined;

/**
 * The directory holding the broker's jars. They are fetched with Maven once per
 * Kafka version; after that this only checks that the directory exists, so a
 * warm start runs no Maven at all.
 */
export function ensureKafkaJars(): Promise<string> {
  pending ??= fetchKafkaJars().finally(() => {
    pending = undefined;
  });
  return pending;
}

async function fetchKafkaJars(): Promise<string> {
  const cache = await kafkaJarCache();
  // Only ever created by the rename below, so its existence means complete.
  if (existsSync(cache.libsDir)) return cache.libsDir;

  await ensureMaven(cache.version);
  const parent = path.dirname(cache.libsDir);
  await mkdir(parent, { recursive: true });
  await removeAbandonedDownloads(parent);
  // Maven writes into a private folder; a crash leaves only that folder behind.
  const staging = path.join(parent, `libs.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await runMaven(cache, staging);
    await assertComplete(cache, staging);
    try {
      await rename(staging, cache.libsDir);
    } catch (error) {
      // Another process finished first and its folder is just as good; use it.
      if (!existsSync(cache.libsDir)) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return cache.libsDir;
}

async function runMaven(cache: KafkaJarCache, outputDir: string): Promise<void> {
  const args = ['-q', '-B', '-Dstyle.color=never', '-f', cache.pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDir}`];
  try {
    await run('mvn', args, { maxBuffer: 32 * 1024 * 1024, timeout: 15 * 60_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() || failed.message;
    throw new Error(`Maven could not fetch the Kafka ${cache.version} jars (mvn ${args.join(' ')}):\n${output.split('\n').slice(-40).join('\n')}`, { cause: error });
  }
}

async function assertComplete(cache: KafkaJarCache, dir: string): Promise<void> {
  const jars = await readdir(dir);
  for (const expected of [`kafka_2.13-${cache.version}.jar`, 'slf4j-reload4j-', 'reload4j-']) {
    if (!jars.some((jar) => jar.startsWith(expected))) throw new Error(`Maven finished but ${expected}* is missing from ${dir}`);
  }
}

/** Deletes staging folders of downloads whose process is gone (killed mid-download). */
async function removeAbandonedDownloads(parent: string): Promise<void> {
  for (const entry of await readdir(parent)) {
    const pid = Number(/^libs\.partial-(\d+)-/.exec(entry)?.[1]);
    if (pid && !isAlive(pid)) await rm(path.join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
