/**
 * One cheap query whose result changes on every DDL in the included schemas and never on
 * data-only writes or maintenance. Row versions (`xmin`) of the catalogs DDL writes to are
 * summed with their counts: INSERT/UPDATE/DELETE, VACUUM and ANALYZE never touch these rows.
 * `pg_class` is hashed by identity columns instead of `xmin` because TRUNCATE, VACUUM FULL and
 * GRANT rewrite its rows without changing the schema.
 */
const userNamespaces = `(SELECT oid FROM pg_catalog.pg_namespace WHERE
  (cardinality($1::text[]) = 0 AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%') OR nspname = ANY($1::text[]))`;
const userRelations = `(SELECT oid FROM pg_catalog.pg_class WHERE relnamespace IN ${userNamespaces})`;
const versions = (table: string, where: string) =>
  `(SELECT count(*)::text || '.' || coalesce(sum(xmin::text::bigint), 0)::text FROM pg_catalog.${table} WHERE ${where})`;

export const postgresFingerprintQuery = `
SELECT md5(concat_ws('|',
  (SELECT md5(coalesce(string_agg(oid::text || ':' || relname || ':' || relkind::text || ':' || relnamespace::text, ',' ORDER BY oid), ''))
     FROM pg_catalog.pg_class WHERE relnamespace IN ${userNamespaces}),
  ${versions('pg_namespace', `oid IN ${userNamespaces}`)},
  ${versions('pg_attribute', `attrelid IN ${userRelations}`)},
  ${versions('pg_attrdef', `adrelid IN ${userRelations}`)},
  ${versions('pg_constraint', `connamespace IN ${userNamespaces}`)},
  ${versions('pg_index', `indrelid IN ${userRelations}`)},
  ${versions('pg_rewrite', `ev_class IN ${userRelations}`)},
  ${versions('pg_type', `typnamespace IN ${userNamespaces}`)},
  ${versions('pg_enum', `enumtypid IN (SELECT oid FROM pg_catalog.pg_type WHERE typnamespace IN ${userNamespaces})`)},
  ${versions('pg_proc', `pronamespace IN ${userNamespaces}`)},
  ${versions('pg_description', 'true')}
)) AS fingerprint`;
