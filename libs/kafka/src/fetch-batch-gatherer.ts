/**
 * Gathers the batches that several partitions deliver from one fetch, so one
 * handler call (one transaction) serves them all instead of one per partition.
 *
 * kafkajs hands every partition batch of a fetch to its workers in one go, and
 * fetches again only when all of them are handled; so what is submitted before
 * the next macrotask belongs to one fetch. The submissions are packed, in order
 * and whole, into groups of at most `maxSize` items; groups run concurrently
 * (a backlog still spreads over several transactions). A submission resolves
 * when its group was handled and rejects with its group's error.
 */
export class FetchBatchGatherer<T> {
  private waiting: Submission<T>[] = [];

  constructor(
    private readonly maxSize: number,
    private readonly handle: (items: readonly T[]) => Promise<void>,
  ) {}

  submit(items: readonly T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ items, resolve, reject });
    });
  }

  private flush(): void {
    const submissions = this.waiting;
    this.waiting = [];
    for (const group of packSubmissions(submissions, this.maxSize)) {
      this.handle(group.flatMap((submission) => submission.items)).then(
        () => group.forEach((submission) => submission.resolve()),
        (error: unknown) => group.forEach((submission) => submission.reject(error)),
      );
    }
  }
}

interface Submission<T> {
  readonly items: readonly T[];
  resolve(): void;
  reject(error: unknown): void;
}

/** Whole submissions, in order, into groups of at most maxSize items (a bigger submission is a group of its own). */
export function packSubmissions<S extends { readonly items: readonly unknown[] }>(submissions: readonly S[], maxSize: number): S[][] {
  const groups: S[][] = [];
  let current: S[] = [];
  let size = 0;
  for (const submission of submissions) {
    if (current.length > 0 && size + submission.items.length > maxSize) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(submission);
    size += submission.items.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
