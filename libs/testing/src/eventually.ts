/**
 * Polls `probe` until it returns something truthy, and returns that; fails after
 * `timeoutMs` naming what was awaited. For asynchronous effects (a consumer, a
 * relay) that a test cannot await directly.
 */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string | (() => string), timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
