import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles per attempt between half and all of the ceiling, capped', () => {
    expect(backoffDelayMs(1, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelayMs(1, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelayMs(3, 500, 30_000, () => 1)).toBe(2000);
    expect(backoffDelayMs(20, 500, 30_000, () => 1)).toBe(30_000);
  });
});
