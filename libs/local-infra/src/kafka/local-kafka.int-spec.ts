import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findFreePort } from '../net/free-port.js';
import { ensureKafkaJars, startLocalKafka, type LocalKafka } from './local-kafka.js';

// Starts real brokers of its own (not the suite's shared one), because it stops and kills them.

/** Pids of live java processes whose command line mentions `dataDir`. */
function javaProcessesUsing(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const zombie = /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        return !zombie && path.basename(argv[0] ?? '') === 'java' && argv.some((arg) => arg.includes(dataDir));
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

/** `impatient`: no retries, for checking that a broker is really gone. */
function client(brokers: string, impatient = false): Kafka {
  return new Kafka({ clientId: 'local-kafka-test', brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 1000, ...(impatient ? { retry: { retries: 0 } } : {}) });
}

async function roundTrip(brokers: string, topic: string, value?: string): Promise<string> {
  const kafka = client(brokers);
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  if (value !== undefined) {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value }] });
    await producer.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `local-kafka-test-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const first = await new Promise<string>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') });
  });
  await consumer.disconnect();
  return first;
}

describe('startLocalKafka', () => {
  let workDir: string;
  const started: LocalKafka[] = [];

  async function start(dataDir: string, persistent = false): Promise<LocalKafka> {
    const kafka = await startLocalKafka({ dataDir, port: await findFreePort(), controllerPort: await findFreePort(), persistent });
    started.push(kafka);
    return kafka;
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'local-kafka-test-'));
    await ensureKafkaJars(); // the first run on a machine downloads ~46 MB with Maven
  }, 10 * 60_000);

  afterAll(async () => {
    await Promise.allSettled(started.map((kafka) => kafka.kill()));
    await rm(workDir, { recursive: true, force: true });
  }, 60_000);

  it('runs a broker that clients can produce to and consume from, and stop() leaves nothing behind', async () => {
    const dataDir = path.join(workDir, 'throwaway');
    const kafka = await start(dataDir);
    expect(kafka.brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(javaProcessesUsing(dataDir)).toHaveLength(1);

    expect(await roundTrip(kafka.brokers, 'local-kafka-test', 'hello')).toBe('hello');

    await kafka.stop();
    expect(javaProcessesUsing(dataDir)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
    await kafka.stop(); // idempotent
  }, 120_000);

  it('keeps a persistent broker’s messages across restarts, and kill() takes it down at once', async () => {
    const dataDir = path.join(workDir, 'persistent');
    const first = await start(dataDir, true);
    await roundTrip(first.brokers, 'kept', 'still here');
    await first.stop();
    expect(existsSync(path.join(dataDir, 'kraft-logs', 'meta.properties'))).toBe(true);

    // New ports on purpose: the configuration is rewritten, the storage is not re-formatted.
    const second = await start(dataDir, true);
    expect(await roundTrip(second.brokers, 'kept')).toBe('still here');

    const killedAt = Date.now();
    await second.kill();
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(javaProcessesUsing(dataDir)).toEqual([]);
    await expect(client(second.brokers, true).admin().connect()).rejects.toThrow();
  }, 180_000);

  it('fails fast, naming the port, when the client port is taken', async () => {
    const port = await findFreePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startLocalKafka({ dataDir: path.join(workDir, 'blocked'), port, controllerPort: await findFreePort() })).rejects.toThrow(`port ${port}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
