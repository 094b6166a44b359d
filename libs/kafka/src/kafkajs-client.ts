import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaSettings } from './kafka-settings.js';

export type KafkaLogSink = (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: object) => void;

// kafkajs logs every failed request at ERROR, even those it retries and
// recovers from; real failures reach the caller as thrown errors. So its
// ERROR lines are warnings for us.
const levelNames = {
  [logLevel.ERROR]: 'warn',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
  [logLevel.NOTHING]: 'debug',
} as const;

/** One kafkajs client per settings; its logs go to the service's structured logger. */
export function createKafkajsClient(
  settings: KafkaSettings,
  sink: KafkaLogSink = () => undefined,
  overrides: { retries?: number; connectionTimeoutMs?: number; requestTimeoutMs?: number } = {},
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: logLevel.WARN,
    connectionTimeout: overrides.connectionTimeoutMs ?? 3000,
    requestTimeout: overrides.requestTimeoutMs ?? 30_000,
    retry: { retries: overrides.retries ?? 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        sink(levelNames[level], String(message), { namespace, ...extra });
      },
  });
}
