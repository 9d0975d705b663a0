/**
 * Runs async work one piece at a time. A driver holds one connection; discovery's snapshot
 * transaction, a fingerprint poll and a live PREPARE check must not interleave on it, or one's
 * BEGIN … ROLLBACK would swallow another's queries.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
