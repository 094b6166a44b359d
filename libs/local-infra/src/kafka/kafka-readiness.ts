import { Kafka, logLevel, type Admin } from 'kafkajs';

export interface ReadinessOptions {
  readonly brokers: string;
  readonly timeoutMs: number;
  /** Settles when the broker process is gone; waiting stops at once then. */
  readonly exited: Promise<unknown>;
}

const POLL_MS = 200;

/**
 * Resolves once a real client can use the broker: cluster metadata lists it and
 * topic metadata is served. An open port is not enough (the controller may not
 * have elected itself yet). Rejects on timeout or when the process exits first.
 */
export async function waitUntilServing(options: ReadinessOptions): Promise<void> {
  const kafka = new Kafka({
    clientId: 'local-kafka-readiness',
    brokers: [options.brokers],
    // Connection refusals are the expected answer while Java starts; keep them quiet.
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  let processGone = false;
  const gone = options.exited.then(() => {
    processGone = true;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, options.timeoutMs);
  });
  let lastProblem = 'no attempt finished';
  try {
    for (;;) {
      const admin = kafka.admin();
      const attempt = probe(admin).then(
        () => 'ready' as const,
        (error: unknown) => {
          lastProblem = error instanceof Error ? error.message : String(error);
          return 'failed' as const;
        },
      );
      const outcome = await Promise.race([attempt, gone.then(() => 'exited' as const), timeUp.then(() => 'timeout' as const)]);
      await admin.disconnect().catch(() => undefined);
      if (outcome === 'ready') return;
      if (outcome === 'exited' || processGone) throw new Error('the broker process exited before it served clients');
      if (outcome === 'timeout') throw new Error(`the broker did not serve clients within ${options.timeoutMs / 1000} s (last attempt: ${lastProblem})`);
      await Promise.race([sleep(POLL_MS), gone, timeUp]);
    }
  } finally {
    clearTimeout(timer);
  }
}

async function probe(admin: Admin): Promise<void> {
  await admin.connect();
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length === 0) throw new Error('metadata lists no broker yet');
  await admin.listTopics();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
