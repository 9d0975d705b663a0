import type { Queryable } from '../driver';

/**
 * A cheap first tier in front of the content-hash fingerprint (fingerprintQuery.ts, ~160 ms at
 * 10,000 tables, mostly hashing every `pg_attribute` row): the row versions of the catalogs that
 * fingerprint reads.
 *
 * Every DDL inserts, updates or deletes rows of these catalogs, and an updated row is a new row
 * version whose `xmin` is the DDL's transaction. So per catalog the row count and the sum of the
 * rows' `xmin` move on every committed DDL, from any session, and survive a server restart (they
 * are on disk, unlike the statistics counters, which reach other sessions up to seconds late).
 * A sum rather than a maximum: a DDL that commits after a younger transaction's would not raise
 * the maximum. Data writes never touch these catalogs; maintenance that does (TRUNCATE, VACUUM
 * FULL, REINDEX, GRANT) and DDL elsewhere (temporary tables, other schemas) only costs a full hash,
 * which then says "unchanged". The catalogs are read whole: a filter by schema would cost more
 * than it saves.
 *
 * `xmin` has no cheap cast to a number (its text rendering costs half the query again), so it is
 * read as `age(xmin)`, its distance from the transaction counter as it stands for the whole
 * statement; subtracting `age('3')` (3 is the first normal transaction id) once per row makes the
 * sum independent of the counter. Rows initdb wrote have a permanent `xmin` whose age is always
 * `2147483647`: they are counted apart (`age / 2147483647` is 1 for them, 0 for every other row).
 * Past 2^31 transactions an age wraps around; that moves the versions once (a full hash), no more.
 */
const CATALOGS = [
  'pg_class',
  'pg_attribute',
  'pg_index',
  'pg_namespace',
  'pg_attrdef',
  'pg_constraint',
  'pg_rewrite',
  'pg_type',
  'pg_enum',
  'pg_proc',
  'pg_description',
];

const PERMANENT_AGE = 2147483647;

const versionsOf = (catalog: string) => {
  const permanent = `coalesce(sum(age(xmin) / ${PERMANENT_AGE}), 0)`;
  const ages = `coalesce(sum(age(xmin)), 0) - ${permanent} * ${PERMANENT_AGE}`;
  return `(SELECT count(*) || '.' || (${ages} - (count(*) - ${permanent}) * age('3'::xid)) FROM pg_catalog.${catalog})`;
};

export const catalogVersionsQuery = `SELECT concat_ws('|', ${CATALOGS.map(versionsOf).join(',\n  ')}) AS versions`;

interface Baseline {
  versions: string;
  fingerprint: string;
}

/** The per-session state of the tier: the catalog versions at the last full hash. */
export class CatalogVersionTier {
  private baseline: Baseline | undefined;

  /**
   * The fingerprint: the last full hash when the catalog versions are the ones read before it,
   * else `fullHash()`. The versions are read first, so a DDL that lands between the two reads is
   * in the hash and still moves the versions at the next poll (one more full hash, no miss).
   */
  async fingerprint(query: Queryable, fullHash: () => Promise<string>): Promise<string> {
    const read = (await query(catalogVersionsQuery))[0]?.versions;
    const versions = typeof read === 'string' ? read : '';
    if (versions && this.baseline?.versions === versions) return this.baseline.fingerprint;
    this.baseline = undefined;
    const fingerprint = await fullHash();
    if (versions) this.baseline = { versions, fingerprint };
    return fingerprint;
  }
}
