import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where one broker keeps its files inside the caller's data dir. */
export interface KafkaLayout {
  readonly logDir: string;
  readonly serverProperties: string;
  readonly log4jProperties: string;
}

export function kafkaLayout(dataDir: string): KafkaLayout {
  return {
    logDir: path.join(dataDir, 'kraft-logs'),
    serverProperties: path.join(dataDir, 'server.properties'),
    log4jProperties: path.join(dataDir, 'log4j.properties'),
  };
}

export interface KafkaNodeConfig {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
}

/** server.properties of one combined broker + controller KRaft node on 127.0.0.1. */
export function serverProperties(config: KafkaNodeConfig): string {
  const settings: ReadonlyArray<readonly [string, string | number]> = [
    ['node.id', 1],
    ['process.roles', 'broker,controller'],
    // 127.0.0.1, never localhost: localhost may resolve to ::1 first, where nothing listens.
    ['listeners', `PLAINTEXT://127.0.0.1:${config.port},CONTROLLER://127.0.0.1:${config.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${config.port}`],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['controller.listener.names', 'CONTROLLER'],
    // Static quorum: the ports may change between runs of a persistent data dir.
    ['controller.quorum.voters', `1@127.0.0.1:${config.controllerPort}`],
    ['log.dirs', config.logDir],
    // One node: every topic, internal ones included, has exactly one replica.
    ['num.partitions', 1],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    // 50 partitions each (the defaults) only slow down the first group join and transaction locally.
    ['offsets.topic.num.partitions', 1],
    ['transaction.state.log.num.partitions', 1],
    // Consumers in tests should get their partitions at once, not after 3 s.
    ['group.initial.rebalance.delay.ms', 0],
    // Services create their topics explicitly; a typo must fail, not invent a topic.
    ['auto.create.topics.enable', 'false'],
    // The compaction buffer defaults to 128 MiB of heap, most of an idle broker's memory.
    ['log.cleaner.dedupe.buffer.size', 16 * 1024 * 1024],
  ];
  return settings.map(([key, value]) => `${key}=${escapePropertyValue(String(value))}\n`).join('');
}

/**
 * Kafka reads server.properties as ISO-8859-1 with backslash escapes, so a path
 * with a backslash or a non-ASCII character must be escaped to survive.
 */
export function escapePropertyValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/^ /, '\\ ')
    .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Broker output on stdout: warnings and errors, plus the lines that say the server started or stopped. */
export const LOG4J_PROPERTIES = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
`;

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding (Kafka's Uuid
 * text form, 22 chars). One starting with '-' would be read as an option by
 * StorageTool (1 in 64 runs), so, as Kafka's own Uuid.randomUuid does, draw again.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The major version in `java -version` output: "17.0.15" gives 17, the old "1.8.0_292" gives 8. */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** The Kafka version pinned in tools/kafka/pom.xml, which names the jar cache. */
export function kafkaVersionFromPom(pomXml: string): string | undefined {
  return /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pomXml)?.[1];
}

export interface BrokerJvmOptions {
  readonly heapMb: number;
  readonly layout: KafkaLayout;
  readonly libsDir: string;
}

/** Everything after `java` for the short-lived StorageTool run. */
export function formatStorageArgs(options: Omit<BrokerJvmOptions, 'heapMb'>, clusterId: string): string[] {
  return [
    // C1 only: a two-second tool needs no optimising compiler.
    '-XX:TieredStopAtLevel=1',
    '-Xmx256m',
    log4jFlag(options.layout),
    '-cp',
    classpath(options.libsDir),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    options.layout.serverProperties,
  ];
}

/** Everything after `java` for the broker itself. */
export function brokerJvmArgs(options: BrokerJvmOptions): string[] {
  return [
    `-Xmx${options.heapMb}m`,
    // Start small and grow: an idle local broker uses well under 100 MiB of heap.
    `-Xms${Math.min(options.heapMb, 128)}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    // Local broker: start-up time and memory matter more than peak throughput,
    // so skip the C2 compiler (about 0.5 s faster to ready, ~20 MiB less RSS).
    '-XX:TieredStopAtLevel=1',
    // Die loudly instead of limping on when the heap is too small.
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    log4jFlag(options.layout),
    '-cp',
    classpath(options.libsDir),
    'kafka.Kafka',
    options.layout.serverProperties,
  ];
}

function classpath(libsDir: string): string {
  // The JVM expands `dir/*` itself; no shell is involved.
  return `${libsDir}${path.sep}*`;
}

function log4jFlag(layout: KafkaLayout): string {
  return `-Dlog4j.configuration=${pathToFileURL(layout.log4jProperties).href}`;
}
