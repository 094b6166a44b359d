interface SendGroup<T> {
  readonly items: T[];
  readonly callers: { resolve(): void; reject(error: unknown): void }[];
}

/**
 * Joins concurrent sends into one: while a send is in flight, new items wait and
 * then go out together in the next one, in the order they were handed over. Each
 * caller's promise settles with the send that carried its items.
 *
 * With one request in flight per producer (which per-key ordering needs), Kafka
 * round trips would otherwise serialise concurrent HTTP requests one by one; this
 * turns N waiting requests into one produce request without adding a linger delay.
 */
export class SendCoalescer<T> {
  private readonly queue: SendGroup<T>[] = [];
  /** The group new items join; null once it is being sent. */
  private open: SendGroup<T> | null = null;
  private draining: Promise<void> | null = null;

  constructor(
    private readonly send: (items: readonly T[]) => Promise<void>,
    /** A send carries at most this many items (a caller's items are never split). */
    private readonly maxItemsPerSend: number,
  ) {}

  enqueue(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (this.open === null || this.open.items.length + items.length > this.maxItemsPerSend) {
        this.open = { items: [], callers: [] };
        this.queue.push(this.open);
      }
      this.open.items.push(...items);
      this.open.callers.push({ resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything handed over so far has been sent (or has failed). */
  async idle(): Promise<void> {
    await this.draining;
  }

  private async drain(): Promise<void> {
    for (let group = this.queue.shift(); group !== undefined; group = this.queue.shift()) {
      if (group === this.open) this.open = null;
      try {
        await this.send(group.items);
        for (const caller of group.callers) caller.resolve();
      } catch (error) {
        for (const caller of group.callers) caller.reject(error);
      }
    }
    this.draining = null;
  }
}
