/**
 * One cheap query whose result changes on every DDL in the included schemas and never on
 * data-only writes or maintenance.
 *
 * Two kinds of signal, chosen per catalog by what else writes to it:
 * - `count.sum(xmin)` where only DDL writes rows (constraints, defaults, rewrite rules, types,
 *   enum labels, functions, comments). Raw `xmin` survives freezing, so VACUUM FREEZE keeps it.
 * - An order-independent sum of 64-bit hashes of the columns discovery reads where maintenance
 *   or privileges rewrite rows without changing the schema: `pg_class` (TRUNCATE, VACUUM FULL,
 *   REINDEX and GRANT give rows a new `xmin`), `pg_attribute` (column GRANT, SET STATISTICS) and
 *   `pg_index` (CLUSTER sets `indisclustered`).
 */
const userNamespaces = `(SELECT oid FROM pg_catalog.pg_namespace WHERE
  (cardinality($1::text[]) = 0 AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%') OR nspname = ANY($1::text[]))`;
const userRelations = `(SELECT oid FROM pg_catalog.pg_class WHERE relnamespace IN ${userNamespaces})`;

const versions = (table: string, where: string) =>
  `(SELECT count(*)::text || '.' || coalesce(sum(xmin::text::bigint), 0)::text FROM pg_catalog.${table} WHERE ${where})`;

/** `sum` of `bigint` is `numeric` in PostgreSQL, so the sum never overflows. */
const contentHash = (table: string, columns: string[], where: string) =>
  `(SELECT count(*)::text || '#' || coalesce(sum(hashtextextended(concat_ws(',', ${columns.join(', ')}), 0)), 0)::text
     FROM pg_catalog.${table} WHERE ${where})`;

const RELATION_FIELDS = ['oid', 'relname', 'relkind', 'relnamespace', 'relispartition'];
const ATTRIBUTE_FIELDS = [
  'attrelid',
  'attnum',
  'attname',
  'atttypid',
  'atttypmod',
  'attndims',
  'attnotnull',
  'atthasdef',
  'attidentity',
  'attgenerated',
  'attisdropped',
  'attcollation',
];
const INDEX_FIELDS = [
  'indexrelid',
  'indrelid',
  'indisunique',
  'indisprimary',
  'indisexclusion',
  'indimmediate',
  'indisvalid',
  'indkey',
  'indclass',
  'indexprs',
  'indpred',
];

export const postgresFingerprintQuery = `
SELECT md5(concat_ws('|',
  ${contentHash('pg_class', RELATION_FIELDS, `relnamespace IN ${userNamespaces}`)},
  ${contentHash('pg_attribute', ATTRIBUTE_FIELDS, `attrelid IN ${userRelations}`)},
  ${contentHash('pg_index', INDEX_FIELDS, `indrelid IN ${userRelations}`)},
  ${versions('pg_namespace', `oid IN ${userNamespaces}`)},
  ${versions('pg_attrdef', `adrelid IN ${userRelations}`)},
  ${versions('pg_constraint', `connamespace IN ${userNamespaces}`)},
  ${versions('pg_rewrite', `ev_class IN ${userRelations}`)},
  ${versions('pg_type', `typnamespace IN ${userNamespaces}`)},
  ${versions('pg_enum', `enumtypid IN (SELECT oid FROM pg_catalog.pg_type WHERE typnamespace IN ${userNamespaces})`)},
  ${versions('pg_proc', `pronamespace IN ${userNamespaces}`)},
  ${versions('pg_description', 'true')}
)) AS fingerprint`;
