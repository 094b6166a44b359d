import { describe, expect, it } from '@jest/globals';
import { JsonLogger } from '../logging/json-logger.js';
import { BackgroundTask } from './background-task.js';

const logger = new JsonLogger('test', 'fatal');

describe('BackgroundTask', () => {
  it('runs rounds back to back while there is more, then waits for its interval', async () => {
    const rounds: number[] = [];
    const task = new BackgroundTask('drain', 60_000, async () => {
      rounds.push(rounds.length);
      return rounds.length < 3;
    }, logger);
    task.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rounds).toEqual([0, 1, 2]);
    await task.stop();
  });

  it('keeps going after a failed round, and a wake runs the next round at once', async () => {
    let calls = 0;
    const task = new BackgroundTask('flaky', 60_000, async () => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
      return false;
    }, logger);
    task.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(1);
    task.wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(2);
    await task.stop();
  });

  it('stops promptly even while waiting out a long interval', async () => {
    const task = new BackgroundTask('idle', 3_600_000, async () => false, logger);
    task.start();
    const started = Date.now();
    await task.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
