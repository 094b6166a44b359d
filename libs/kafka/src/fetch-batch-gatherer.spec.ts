import { describe, expect, it } from '@jest/globals';
import { FetchBatchGatherer, packSubmissions } from './fetch-batch-gatherer.js';

const submission = (...items: number[]): { items: number[] } => ({ items });

describe('packSubmissions', () => {
  it('keeps submissions whole and in order, in groups of at most maxSize items', () => {
    const groups = packSubmissions([submission(1, 2), submission(3), submission(4, 5, 6), submission(7)], 3);
    expect(groups.map((group) => group.map((entry) => entry.items))).toEqual([[[1, 2], [3]], [[4, 5, 6]], [[7]]]);
  });

  it('gives a submission larger than maxSize a group of its own', () => {
    expect(packSubmissions([submission(1), submission(2, 3, 4, 5), submission(6)], 3).map((group) => group.length)).toEqual([1, 1, 1]);
  });

  it('makes no group of nothing', () => {
    expect(packSubmissions([], 10)).toEqual([]);
  });
});

describe('FetchBatchGatherer', () => {
  it('hands what was submitted in one tick to one call, and what comes later to the next', async () => {
    const calls: number[][] = [];
    const gatherer = new FetchBatchGatherer<number>(10, async (items) => void calls.push([...items]));
    await Promise.all([gatherer.submit([1, 2]), gatherer.submit([3]), gatherer.submit([4, 5])]);
    await gatherer.submit([6]);
    expect(calls).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('runs the groups of one tick concurrently and fails only the submissions of the group that failed', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const gatherer = new FetchBatchGatherer<number>(2, async (items) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      if (items.includes(3)) throw new Error('group with 3 failed');
    });
    const outcomes = await Promise.allSettled([gatherer.submit([1, 2]), gatherer.submit([3]), gatherer.submit([4]), gatherer.submit([5, 6])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(mostAtOnce).toBe(3);
  });
});
