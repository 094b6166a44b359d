import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseJavaMajorVersion } from './kafka-config.js';

const run = promisify(execFile);

/** A program the local infrastructure needs (java, mvn) is not installed. */
export class LocalToolMissingError extends Error {
  override readonly name = 'LocalToolMissingError';
}

const ALTERNATIVES = [
  'Either install Java 17+ and Maven (e.g. `apt-get install openjdk-17-jre-headless maven`, `brew install openjdk@17 maven`),',
  'or run the stack in containers with `docker compose up`,',
  'or set KAFKA_BROKERS to point at an existing Kafka cluster.',
].join(' ');

export const MINIMUM_JAVA = 17;

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set (as Maven does), else `java` from PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['JAVA_HOME'];
  const candidate = home ? path.join(home, 'bin', 'java') : undefined;
  return candidate && existsSync(candidate) ? candidate : 'java';
}

/** The java executable to run Kafka with, after checking it is Java 17 or newer. */
export async function ensureJava(): Promise<string> {
  const java = javaCommand();
  let output: string;
  try {
    const result = await run(java, ['-version'], { timeout: 30_000 });
    output = `${result.stderr}${result.stdout}`;
  } catch {
    throw new LocalToolMissingError(`Running Kafka locally needs Java ${MINIMUM_JAVA} or newer, and \`${java}\` could not be run. ${ALTERNATIVES}`);
  }
  const major = parseJavaMajorVersion(output);
  if (major === undefined || major < MINIMUM_JAVA) {
    const found = output.split('\n')[0]?.trim() ?? 'an unknown version';
    throw new LocalToolMissingError(`Running Kafka locally needs Java ${MINIMUM_JAVA} or newer; \`${java}\` is ${found}. ${ALTERNATIVES}`);
  }
  return java;
}

/** Maven is needed only once per Kafka version, to fetch the jars. */
export async function ensureMaven(kafkaVersion: string): Promise<void> {
  try {
    await run('mvn', ['-v'], { timeout: 60_000 });
  } catch {
    throw new LocalToolMissingError(`Fetching the Kafka ${kafkaVersion} jars needs Maven, and \`mvn\` could not be run. ${ALTERNATIVES}`);
  }
}
