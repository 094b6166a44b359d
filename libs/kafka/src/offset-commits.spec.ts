import { describe, expect, it } from '@jest/globals';
import { furthestPerPartition, positionAfter } from './offset-commits.js';

describe('offset commits', () => {
  it('resumes after the handled message, beyond the range of a JavaScript number', () => {
    expect(positionAfter('t', 0, '41')).toEqual({ topic: 't', partition: 0, offset: '42' });
    expect(positionAfter('t', 0, '9007199254740993').offset).toBe('9007199254740994');
  });

  it('keeps the furthest position of each topic-partition, comparing offsets as numbers', () => {
    expect(
      furthestPerPartition([
        { topic: 'a', partition: 0, offset: '9' },
        { topic: 'a', partition: 1, offset: '5' },
        { topic: 'a', partition: 0, offset: '10' },
        { topic: 'b', partition: 0, offset: '3' },
        { topic: 'a', partition: 0, offset: '8' },
      ]),
    ).toEqual([
      { topic: 'a', partition: 0, offset: '10' },
      { topic: 'a', partition: 1, offset: '5' },
      { topic: 'b', partition: 0, offset: '3' },
    ]);
  });
});
