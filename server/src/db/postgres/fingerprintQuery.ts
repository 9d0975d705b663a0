/**
 * One cheap query whose result changes on every DDL in the included schemas and never on
 * data-only writes or maintenance.
 *
 * Two kinds of signal, chosen per catalog by what else writes to it:
 * - `count.sum(xmin)` where only DDL writes rows (defaults, constraints, rewrite rules, types,
 *   enum labels, functions, comments). Raw `xmin` survives freezing, so VACUUM FREEZE keeps it.
 * - An order-independent sum of 64-bit hashes of the columns discovery reads, where maintenance
 *   or privileges rewrite rows without changing the schema: `pg_class` (TRUNCATE, VACUUM FULL,
 *   REINDEX and GRANT give rows a new `xmin`), `pg_attribute` (column GRANT, SET STATISTICS) and
 *   `pg_index` (CLUSTER sets `indisclustered`). The hashes mix integers (`hashint8extended`)
 *   instead of hashing a text rendering of each row: casting every column of every
 *   `pg_attribute` row to text doubled the query's cost.
 * The namespace list is computed once (a materialized CTE). The relation list is inlined where it is
 * used: materialized, the planner guessed 200 rows for it and probed `pg_attribute`'s index once per
 * relation, which made the whole query 1.7× slower at 10,000 tables than the hash join it plans now.
 */
const versions = (table: string, where: string) =>
  `(SELECT count(*)::text || '.' || coalesce(sum(xmin::text::bigint), 0)::text FROM pg_catalog.${table} WHERE ${where})`;

/** `sum` of `bigint` is `numeric` in PostgreSQL, so the sum never overflows. */
const hashed = (table: string, rowHash: string, where: string) =>
  `(SELECT count(*)::text || '#' || coalesce(sum(${rowHash}), 0)::text FROM pg_catalog.${table} WHERE ${where})`;

/** Folds flags and small integers into a bigint; `#` is XOR. Each part gets its own bit offset. */
const mix = (parts: string[]) => parts.map((p, i) => (i === 0 ? p : `(${p} << ${i * 5})`)).join(' # ');
const flag = (column: string) => `${column}::int::int8`;
const char = (column: string) => `ascii(${column}::text)::int8`;

const relationHash = `hashint8extended((oid::int8 << 32) | relnamespace::int8,
    hashtext(relname::text)::int8 # ${mix(['0', char('relkind'), flag('relispartition')])})`;

const attributeHash = `hashint8extended((attrelid::int8 << 32) | (attnum::int8 << 16) | attndims::int8,
    hashtext(attname::text)::int8 # (atttypid::int8 << 32) # (atttypmod::int8 << 8) # (attcollation::int8 << 40) # ${mix(
      [flag('attnotnull'), flag('attisdropped'), flag('atthasdef'), char('attidentity'), char('attgenerated')],
    )})`;

const indexHash = `hashtextextended(concat_ws(',', indkey, indclass, indexprs, indpred),
    (indexrelid::int8 << 32) # indrelid::int8 # ${mix([
      '0',
      flag('indisunique'),
      flag('indisprimary'),
      flag('indisexclusion'),
      flag('indimmediate'),
      flag('indisvalid'),
    ])})`;

export const postgresFingerprintQuery = `
WITH ns AS MATERIALIZED (
  SELECT oid FROM pg_catalog.pg_namespace
  WHERE (cardinality($1::text[]) = 0 AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%')
     OR nspname = ANY($1::text[])
), rels AS NOT MATERIALIZED (
  SELECT oid FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM ns)
)
SELECT md5(concat_ws('|',
  ${hashed('pg_class', relationHash, 'relnamespace IN (SELECT oid FROM ns)')},
  ${hashed('pg_attribute', attributeHash, 'attnum > 0 AND attrelid IN (SELECT oid FROM rels)')},
  ${hashed('pg_index', indexHash, 'indrelid IN (SELECT oid FROM rels)')},
  ${versions('pg_namespace', 'oid IN (SELECT oid FROM ns)')},
  ${versions('pg_attrdef', 'adrelid IN (SELECT oid FROM rels)')},
  ${versions('pg_constraint', 'connamespace IN (SELECT oid FROM ns)')},
  ${versions('pg_rewrite', 'ev_class IN (SELECT oid FROM rels)')},
  ${versions('pg_type', 'typnamespace IN (SELECT oid FROM ns)')},
  ${versions('pg_enum', 'enumtypid IN (SELECT oid FROM pg_catalog.pg_type WHERE typnamespace IN (SELECT oid FROM ns))')},
  ${versions('pg_proc', 'pronamespace IN (SELECT oid FROM ns)')},
  ${versions('pg_description', 'true')}
)) AS fingerprint`;
