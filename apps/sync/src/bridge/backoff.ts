/** Exponential back-off with full jitter on its upper half: attempt 1 waits about `initialMs`, capped at `maxMs`. */
export function backoffDelayMs(attempt: number, initialMs = 500, maxMs = 30_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
