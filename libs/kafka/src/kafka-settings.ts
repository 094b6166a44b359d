/** What every Kafka client of the stack needs to know. */
export interface KafkaSettings {
  /** `host:port` list, e.g. `['127.0.0.1:9092']`. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Prepended to every topic name; lets test files share a broker without sharing topics. */
  readonly topicPrefix: string;
}

export function parseBrokerList(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}
