import { describe, expect, it } from '@jest/globals';
import { serviceDatabaseUrl, stackSettingsFrom } from './stack-settings.js';

describe('stack settings', () => {
  it('starts its own Postgres and Kafka with fixed local ports by default', () => {
    const settings = stackSettingsFrom({}, '/repo');
    expect(settings).toEqual({
      dataDir: '/repo/.local/data',
      postgres: { kind: 'embedded', port: 54329 },
      kafka: { kind: 'embedded', port: 9092, controllerPort: 9093 },
      servicePorts: { cdp: 3001, crm: 3002, sync: 3003 },
      healthTimeoutMs: 180_000,
    });
  });

  it('uses the servers named by DATABASE_URL and KAFKA_BROKERS instead of starting its own', () => {
    const settings = stackSettingsFrom({ DATABASE_URL: 'postgres://u:p@db:5432/postgres', KAFKA_BROKERS: 'k1:9092,k2:9092' }, '/repo');
    expect(settings.postgres).toEqual({ kind: 'external', serverUrl: 'postgres://u:p@db:5432/postgres' });
    expect(settings.kafka).toEqual({ kind: 'external', brokers: 'k1:9092,k2:9092' });
  });

  it('lets every port and the data folder be overridden', () => {
    const settings = stackSettingsFrom({ CDP_PORT: '4001', CRM_PORT: '4002', SYNC_PORT: '4003', POSTGRES_PORT: '6543', KAFKA_PORT: '19092', CDS_DATA_DIR: '/tmp/x' }, '/repo');
    expect(settings.servicePorts).toEqual({ cdp: 4001, crm: 4002, sync: 4003 });
    expect(settings.postgres).toEqual({ kind: 'embedded', port: 6543 });
    expect(settings.kafka).toMatchObject({ port: 19092 });
    expect(settings.dataDir).toBe('/tmp/x');
  });

  it.each([
    [{ CDP_PORT: 'abc' }, 'CDP_PORT="abc" is not a TCP port'],
    [{ KAFKA_PORT: '70000' }, 'KAFKA_PORT="70000" is not a TCP port'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL="mysql://localhost/x" is not a postgres:// URL'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => stackSettingsFrom(env, '/repo')).toThrow(message);
  });

  it('gives each service its own database on the shared server', () => {
    expect(serviceDatabaseUrl('postgres://postgres:secret@127.0.0.1:54329/postgres', 'crm')).toBe('postgres://postgres:secret@127.0.0.1:54329/crm');
  });
});
