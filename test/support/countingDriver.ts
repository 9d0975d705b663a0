import type { DiscoveryResult, SchemaDriver } from '../../server/src/db/driver';

/**
 * Wraps a real driver and counts what reaches it, so a test can prove that a cached snapshot was
 * served with zero database queries, or that data-only writes caused no re-discovery. It counts;
 * it never fakes an answer. `before` runs ahead of each call (e.g. to cut the connection).
 */
export class CountingDriver implements SchemaDriver {
  discoveries = 0;
  fingerprints = 0;
  before: { discover?: () => Promise<void>; fingerprint?: () => Promise<void> } = {};

  constructor(private readonly inner: SchemaDriver) {}

  get calls(): number {
    return this.discoveries + this.fingerprints;
  }

  async discover(): Promise<DiscoveryResult> {
    this.discoveries++;
    await this.before.discover?.();
    return this.inner.discover();
  }

  async fingerprint(): Promise<string> {
    this.fingerprints++;
    await this.before.fingerprint?.();
    return this.inner.fingerprint();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
