import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  brokerJvmArgs,
  escapePropertyValue,
  formatStorageArgs,
  kafkaLayout,
  kafkaVersionFromPom,
  newClusterId,
  parseJavaMajorVersion,
  serverProperties,
} from './kafka-config.js';

function parseProperties(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('serverProperties', () => {
  const props = parseProperties(serverProperties({ port: 19092, controllerPort: 19093, logDir: '/data/kafka/kraft-logs' }));

  it('describes one combined broker + controller KRaft node on 127.0.0.1', () => {
    expect(props.get('node.id')).toBe('1');
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(props.get('log.dirs')).toBe('/data/kafka/kraft-logs');
  });

  it('uses replication factor 1 everywhere, including the internal topics', () => {
    for (const key of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'transaction.state.log.min.isr', 'min.insync.replicas', 'default.replication.factor']) {
      expect(props.get(key)).toBe('1');
    }
  });

  it('suits tests: no rebalance delay, no auto-created topics, never localhost', () => {
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(serverProperties({ port: 1, controllerPort: 2, logDir: '/x' })).not.toContain('localhost');
  });
});

describe('escapePropertyValue', () => {
  it('leaves ordinary paths alone', () => {
    expect(escapePropertyValue('/tmp/cds-test-abc/kafka/kraft-logs')).toBe('/tmp/cds-test-abc/kafka/kraft-logs');
  });

  it('escapes what java.util.Properties would otherwise mangle', () => {
    expect(escapePropertyValue('C:\\data')).toBe('C:\\\\data');
    expect(escapePropertyValue('/home/josé')).toBe('/home/jos\\u00e9');
    expect(escapePropertyValue(' lead')).toBe('\\ lead');
  });
});

describe('newClusterId', () => {
  it('is 16 random bytes in base64url, 22 characters, as Kafka expects', () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(newClusterId()).not.toBe(id);
  });

  it('never starts with a dash, which StorageTool would read as an option', () => {
    const draws = [Buffer.from('f8' + '00'.repeat(15), 'hex'), Buffer.from('00'.repeat(16), 'hex')];
    expect(Buffer.from('f8' + '00'.repeat(15), 'hex').toString('base64url')).toMatch(/^-/);
    expect(newClusterId(() => draws.shift() as Buffer)).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });
});

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "11.0.2" 2019-01-15', 11],
  ])('reads %s as %d', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it('gives undefined for output it does not recognise', () => {
    expect(parseJavaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('kafkaVersionFromPom', () => {
  it('reads <kafka.version>', () => {
    expect(kafkaVersionFromPom('<properties>\n  <kafka.version>3.9.2</kafka.version>\n</properties>')).toBe('3.9.2');
    expect(kafkaVersionFromPom('<project/>')).toBeUndefined();
  });

  it('finds a pinned 3.9.x release in tools/kafka/pom.xml', () => {
    const pom = readFileSync(path.join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'kafka', 'pom.xml'), 'utf8');
    expect(kafkaVersionFromPom(pom)).toMatch(/^3\.9\.\d+$/);
  });
});

describe('JVM arguments', () => {
  const layout = kafkaLayout('/data/kafka');

  it('runs kafka.Kafka with the chosen heap, the generated log4j config and every jar', () => {
    const args = brokerJvmArgs({ heapMb: 768, layout, libsDir: '/cache/libs' });
    expect(args).toContain('-Xmx768m');
    expect(args).toContain('-Xms128m');
    expect(args).toContain('-Dlog4j.configuration=file:///data/kafka/log4j.properties');
    expect(args.slice(-4)).toEqual(['-cp', '/cache/libs/*', 'kafka.Kafka', '/data/kafka/server.properties']);
  });

  it('never asks for a larger initial than maximum heap', () => {
    expect(brokerJvmArgs({ heapMb: 64, layout, libsDir: '/l' })).toContain('-Xms64m');
  });

  it('formats storage with the given cluster id', () => {
    const args = formatStorageArgs({ layout, libsDir: '/cache/libs' }, 'AbCdEfGhIjKlMnOpQrStUv');
    expect(args.slice(-6)).toEqual(['kafka.tools.StorageTool', 'format', '-t', 'AbCdEfGhIjKlMnOpQrStUv', '-c', '/data/kafka/server.properties']);
  });
});
