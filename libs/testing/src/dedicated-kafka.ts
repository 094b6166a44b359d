import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, startLocalKafka, type LocalKafka } from '@cds/local-infra';

/**
 * A Kafka broker of a test's own, for tests that stop or kill it: the run's
 * shared broker must stay up for every other test file. It keeps its data and
 * ports across a restart, as a real broker would.
 */
export interface DedicatedKafka {
  readonly brokers: string;
  /** Stops the broker cleanly; `restart` brings it back with its topics. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Kills the broker (if running) and deletes its data. */
  dispose(): Promise<void>;
}

export async function startDedicatedKafka(label: string): Promise<DedicatedKafka> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `${label}-kafka-`));
  const ports = { port: await findFreePort(), controllerPort: await findFreePort() };
  let broker: LocalKafka | null = await startLocalKafka({ dataDir, ...ports, persistent: true });
  return {
    brokers: broker.brokers,
    stop: async () => {
      await broker?.stop();
      broker = null;
    },
    restart: async () => {
      await broker?.stop();
      broker = await startLocalKafka({ dataDir, ...ports, persistent: true });
    },
    dispose: async () => {
      await broker?.kill();
      broker = null;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
