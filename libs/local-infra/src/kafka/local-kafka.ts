import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { isPortInUse } from '../net/free-port.js';
import { OutputTail, startGuardedProcess, type GuardedProcess } from '../process/guarded-process.js';
import { ensureJava } from './java-tools.js';
import { brokerJvmArgs, formatStorageArgs, kafkaLayout, LOG4J_PROPERTIES, newClusterId, serverProperties, type KafkaLayout } from './kafka-config.js';
import { ensureKafkaJars } from './kafka-jars.js';
import { waitUntilServing } from './kafka-readiness.js';

export { LocalToolMissingError } from './java-tools.js';
export { ensureKafkaJars } from './kafka-jars.js';

export interface LocalKafkaOptions {
  /** Log dirs and the generated server.properties live here; created if absent. */
  readonly dataDir: string;
  /** Client (PLAINTEXT) listener, bound to 127.0.0.1. */
  readonly port: number;
  /** KRaft controller listener, bound to 127.0.0.1. */
  readonly controllerPort: number;
  /** true: keep dataDir and its topics between runs; false (default): delete dataDir on stop. */
  readonly persistent?: boolean;
  /** Maximum Java heap in MiB (default 512). */
  readonly heapMb?: number;
  /** Receives every line the broker writes; by default they are dropped (the last 200 go into error messages). */
  readonly log?: (line: string) => void;
}

export interface LocalKafka {
  /** `127.0.0.1:<port>`, ready for a client's broker list. */
  readonly brokers: string;
  /** SIGTERM (clean shutdown), SIGKILL after 15 s; resolves when the process is gone. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL now, as a crash would; resolves when the process is gone. */
  kill(): Promise<void>;
}

const STOP_GRACE_SECONDS = 15;
const READY_TIMEOUT_MS = 60_000;
const FORMAT_TIMEOUT_MS = 60_000;
const DEFAULT_HEAP_MB = 512;

const run = promisify(execFile);

/**
 * Runs a real Apache Kafka broker (one combined broker + controller KRaft node)
 * from jars fetched once with Maven, and resolves when clients can use it. The
 * broker cannot outlive this Node process (see guarded-process.ts).
 */
export async function startLocalKafka(options: LocalKafkaOptions): Promise<LocalKafka> {
  await assertPortsFree(options.port, options.controllerPort);
  const java = await ensureJava();
  const libsDir = await ensureKafkaJars();
  const layout = kafkaLayout(options.dataDir);
  await prepareDataDir(java, libsDir, layout, options).catch(async (error: unknown) => {
    if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    throw error;
  });

  const tail = new OutputTail(200);
  const broker = startGuardedProcess({
    command: java,
    args: brokerJvmArgs({ heapMb: options.heapMb ?? DEFAULT_HEAP_MB, layout, libsDir }),
    cwd: options.dataDir,
    graceSeconds: STOP_GRACE_SECONDS,
    onLine: (line) => {
      tail.push(line);
      options.log?.(line);
    },
  });
  const brokers = `127.0.0.1:${options.port}`;
  const finished = onceFinished(broker, options);
  try {
    await waitUntilServing({ brokers, timeoutMs: READY_TIMEOUT_MS, exited: broker.exited });
  } catch (error) {
    const exitedByItself = broker.hasExited();
    const exit = await broker.kill();
    await finished();
    const reason = error instanceof Error ? error.message : String(error);
    const how = exitedByItself ? `exit code ${exit.code ?? exit.signal}` : 'killed it';
    throw new Error(`Kafka on ${brokers} did not start: ${reason} (${how}).\n--- last broker output ---\n${tail.text(60)}`, { cause: error });
  }
  return {
    brokers,
    async stop() {
      await broker.stop();
      await finished();
    },
    async kill() {
      await broker.kill();
      await finished();
    },
  };
}

/** Fails fast, naming the port, rather than waiting for the broker's bind error. */
async function assertPortsFree(port: number, controllerPort: number): Promise<void> {
  if (port === controllerPort) throw new Error(`Kafka needs two different ports; port and controllerPort are both ${port}`);
  for (const [role, candidate] of [['client', port], ['controller', controllerPort]] as const) {
    if (!Number.isInteger(candidate) || candidate <= 0 || candidate > 65_535) throw new Error(`Kafka ${role} port ${candidate} is not a valid TCP port`);
    if (await isPortInUse(candidate)) {
      throw new Error(`cannot start Kafka: ${role} port ${candidate} on 127.0.0.1 is already in use (another Kafka still running?). Stop whatever holds it or choose another port.`);
    }
  }
}

/** Writes the configuration and formats the storage unless a persistent data dir already is. */
async function prepareDataDir(java: string, libsDir: string, layout: KafkaLayout, options: LocalKafkaOptions): Promise<void> {
  await mkdir(options.dataDir, { recursive: true });
  // Rewritten on every start, so a persistent data dir follows changed ports.
  await writeFile(layout.serverProperties, serverProperties({ port: options.port, controllerPort: options.controllerPort, logDir: layout.logDir }));
  await writeFile(layout.log4jProperties, LOG4J_PROPERTIES);
  const formatted = existsSync(path.join(layout.logDir, 'meta.properties'));
  if (formatted && options.persistent) return;
  // A throwaway broker always starts empty, even over the leftovers of a crashed run.
  await rm(layout.logDir, { recursive: true, force: true });
  try {
    await run(java, formatStorageArgs({ layout, libsDir }, newClusterId()), { cwd: options.dataDir, timeout: FORMAT_TIMEOUT_MS });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`formatting Kafka storage in ${layout.logDir} failed: ${`${failed.stderr ?? ''}${failed.stdout ?? ''}`.trim() || failed.message}`, { cause: error });
  }
}

/** Deletes a throwaway data dir once, after the process is gone, however it ended. */
function onceFinished(broker: GuardedProcess, options: LocalKafkaOptions): () => Promise<void> {
  let cleanup: Promise<void> | undefined;
  return () =>
    (cleanup ??= broker.exited.then(async () => {
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    }));
}
