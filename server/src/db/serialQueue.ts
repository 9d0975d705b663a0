/**
 * Runs async work one piece at a time. A driver holds one connection; discovery's snapshot
 * transaction, a fingerprint poll and a live PREPARE check must not interleave on it, or one's
 * BEGIN … ROLLBACK would swallow another's queries.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Work queued and not started yet, with the failure it is to end with instead of running. */
  private readonly waiting = new Set<{ failure?: Error }>();

  run<T>(work: () => Promise<T>): Promise<T> {
    const entry: { failure?: Error } = {};
    this.waiting.add(entry);
    const start = (): Promise<T> => {
      this.waiting.delete(entry);
      return entry.failure ? Promise.reject(entry.failure) : work();
    };
    const result = this.tail.then(start, start);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Fails all the work waiting its turn with `error`, without running it. After the connection
   * stalled past its timeout, each would otherwise stall again, one timeout after another, and a
   * refresh queued behind them would answer only when all had. Work queued later runs as usual.
   */
  failWaiting(error: Error): void {
    for (const entry of this.waiting) entry.failure ??= error;
    this.waiting.clear();
  }
}
