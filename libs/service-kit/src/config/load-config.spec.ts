import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadEnv } from './load-config.js';
import { ServiceEnv } from './service-env.js';

class ExampleEnv extends ServiceEnv {
  override PORT = 3009;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/example';
}

describe('loadEnv', () => {
  it('falls back to the safe local defaults when nothing is set', () => {
    const env = loadEnv(ExampleEnv, {});
    expect(env).toMatchObject({ PORT: 3009, HOST: '127.0.0.1', KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_TOPIC_PREFIX: '', LOG_LEVEL: 'info' });
  });

  it('reads and converts the variables that are set, ignoring unrelated ones', () => {
    const env = loadEnv(ExampleEnv, { PORT: '4000', KAFKA_BROKERS: 'a:9092,b:9093', LOG_LEVEL: 'debug', HOME: '/root' });
    expect(env.PORT).toBe(4000);
    expect(env.KAFKA_BROKERS).toBe('a:9092,b:9093');
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env).not.toHaveProperty('HOME');
  });

  it('names every bad variable with its value and the rule it breaks', () => {
    let error: unknown;
    try {
      loadEnv(ExampleEnv, { PORT: '70000', DATABASE_URL: 'mysql://x/y', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'PORT="70000": PORT must not be greater than 65535',
      'DATABASE_URL="mysql://x/y": must be a postgres:// URL that names a database',
      expect.stringMatching(/^LOG_LEVEL="loud": LOG_LEVEL must be one of the following values: fatal, error/),
    ]);
  });

  it('refuses a port that is not a whole number', () => {
    expect(() => loadEnv(ExampleEnv, { PORT: '80.5' })).toThrow('PORT="80.5": must be a whole number');
  });

  it('refuses the base placeholders, so every service must choose its own port and database', () => {
    expect(() => loadEnv(ServiceEnv, {})).toThrow(/PORT=null: PORT must not be less than 1.*DATABASE_URL=null/);
  });
});
