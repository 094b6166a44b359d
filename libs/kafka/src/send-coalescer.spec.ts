import { describe, expect, it } from '@jest/globals';
import { SendCoalescer } from './send-coalescer.js';

/** A send whose completion the test controls, recording what each send carried. */
function controlledSend(): { sends: string[][]; finish(error?: Error): void; send(items: readonly string[]): Promise<void> } {
  const sends: string[][] = [];
  const pending: { resolve(): void; reject(error: Error): void }[] = [];
  return {
    sends,
    send: (items) =>
      new Promise<void>((resolve, reject) => {
        sends.push([...items]);
        pending.push({ resolve, reject });
      }),
    finish: (error) => {
      const next = pending.shift();
      if (error) next?.reject(error);
      else next?.resolve();
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SendCoalescer', () => {
  it('sends the first items at once, without waiting for company', async () => {
    const transport = controlledSend();
    const coalescer = new SendCoalescer(transport.send, 100);
    const done = coalescer.enqueue(['a1', 'a2']);
    expect(transport.sends).toEqual([['a1', 'a2']]);
    transport.finish();
    await expect(done).resolves.toBeUndefined();
  });

  it('joins the items handed over during a send into the next send, in order', async () => {
    const transport = controlledSend();
    const coalescer = new SendCoalescer(transport.send, 100);
    const first = coalescer.enqueue(['a']);
    const second = coalescer.enqueue(['b1', 'b2']);
    const third = coalescer.enqueue(['c']);
    expect(transport.sends).toEqual([['a']]);
    transport.finish();
    await first;
    await settle();
    expect(transport.sends).toEqual([['a'], ['b1', 'b2', 'c']]);
    transport.finish();
    await expect(Promise.all([second, third])).resolves.toEqual([undefined, undefined]);
  });

  it('fails exactly the callers whose send failed', async () => {
    const transport = controlledSend();
    const coalescer = new SendCoalescer(transport.send, 100);
    const first = coalescer.enqueue(['a']);
    const second = coalescer.enqueue(['b']);
    const third = coalescer.enqueue(['c']);
    transport.finish(new Error('broker gone'));
    await expect(first).rejects.toThrow('broker gone');
    await settle();
    transport.finish();
    await expect(Promise.all([second, third])).resolves.toEqual([undefined, undefined]);
  });

  it('never puts more than the maximum in one send, and never splits a caller', async () => {
    const transport = controlledSend();
    const coalescer = new SendCoalescer(transport.send, 3);
    const calls = [coalescer.enqueue(['a']), coalescer.enqueue(['b1', 'b2']), coalescer.enqueue(['c1', 'c2']), coalescer.enqueue(['d'])];
    for (let round = 0; round < 3; round++) {
      transport.finish();
      await settle();
    }
    await Promise.all(calls);
    expect(transport.sends).toEqual([['a'], ['b1', 'b2'], ['c1', 'c2', 'd']]);
  });

  it('starts sending again after it went idle', async () => {
    const transport = controlledSend();
    const coalescer = new SendCoalescer(transport.send, 100);
    const first = coalescer.enqueue(['a']);
    transport.finish();
    await first;
    await settle();
    const second = coalescer.enqueue(['b']);
    expect(transport.sends).toEqual([['a'], ['b']]);
    transport.finish();
    await expect(second).resolves.toBeUndefined();
  });

  it('reports idle only once every queued send has finished', async () => {
    const transport = controlledSend();
    const coalescer = new SendCoalescer(transport.send, 100);
    void coalescer.enqueue(['a']);
    void coalescer.enqueue(['b']);
    let idle = false;
    void coalescer.idle().then(() => (idle = true));
    transport.finish();
    await settle();
    expect(idle).toBe(false);
    transport.finish();
    await settle();
    expect(idle).toBe(true);
  });
});
