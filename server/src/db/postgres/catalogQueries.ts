/**
 * PostgreSQL catalog queries: one per object kind, never one per table, each taking the
 * schema filter as a bind parameter (`$1::text[]`, empty = every non-system schema).
 * They read `pg_catalog` directly: `information_schema` views are several times slower
 * and hide objects the user cannot write to. PGlite runs the very same queries.
 */

const schemaFilter = (column: string) =>
  `((cardinality($1::text[]) = 0 AND ${column} <> 'information_schema' AND ${column} NOT LIKE 'pg\\_%') OR ${column} = ANY($1::text[]))`;

const RELATION_KINDS = `('r', 'p', 'v', 'm', 'f', 'S')`;

export const serverFactsQuery = `
SELECT version() AS version,
       current_database() AS database,
       current_schemas(false)::text[] AS search_path`;

export const schemasQuery = `
SELECT n.nspname AS name, d.description AS comment
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objsubid = 0
WHERE ${schemaFilter('n.nspname')}`;

export const relationsQuery = `
SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, d.description AS comment,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS view_definition
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ${RELATION_KINDS} AND ${schemaFilter('n.nspname')}`;

/** Ordered by relation and attnum so positions are assigned in one pass on the client. */
export const columnsQuery = `
SELECT a.attrelid::text AS oid, a.attnum AS attnum, a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.atthasdef THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS default,
       d.description AS comment, a.attidentity AS identity, a.attgenerated AS generated
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON a.atthasdef AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ${RELATION_KINDS} AND ${schemaFilter('n.nspname')}
ORDER BY a.attrelid, a.attnum`;

/**
 * Primary keys, unique constraints and foreign keys. Key columns come back as attribute numbers
 * (`conkey`, `confkey`) that the client maps to names from the columns result: resolving them here
 * with a correlated `unnest … JOIN pg_attribute` per constraint cost ten times the rest of the query
 * at 10,000 tables. Only a foreign key whose referenced table lies outside the discovered schemas
 * (so its columns are not in the columns result) has its referenced names resolved here.
 */
export const constraintsQuery = `
SELECT con.conrelid::text AS oid, con.conname AS name, con.contype AS type, con.conkey AS keys,
       con.confrelid::text AS referenced_oid, fn.nspname AS referenced_schema, fc.relname AS referenced_table,
       con.confkey AS referenced_keys,
       CASE WHEN con.contype = 'f' AND NOT ${schemaFilter('fn.nspname')} THEN
         ARRAY(SELECT att.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.attnum
               ORDER BY k.ord)
       END AS outside_referenced_columns,
       con.confupdtype AS on_update, con.confdeltype AS on_delete
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f') AND ${schemaFilter('n.nspname')}`;

/**
 * Key parts as attribute numbers (0 = an expression), of which the first `indnkeyatts` are the key
 * (INCLUDE columns follow). The client maps them to names, as for constraints.
 */
export const indexesQuery = `
SELECT i.indrelid::text AS oid, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
       am.amname AS method, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       i.indkey::int2[] AS keys, i.indnkeyatts AS key_count
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE c.relkind IN ${RELATION_KINDS} AND ${schemaFilter('n.nspname')}`;

export const enumsQuery = `
SELECT n.nspname AS schema, t.typname AS name,
       array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
FROM pg_catalog.pg_enum e
JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE ${schemaFilter('n.nspname')}
GROUP BY n.nspname, t.typname`;

export const domainsQuery = `
SELECT n.nspname AS schema, t.typname AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       NOT t.typnotnull AS nullable, t.typdefault AS default,
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(con.oid) FROM pg_catalog.pg_constraint con
             WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname) AS checks
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND ${schemaFilter('n.nspname')}`;

/**
 * Routines of the filtered schemas, and those an extension put in pg_catalog (`CREATE EXTENSION
 * unaccent SCHEMA pg_catalog`), which every search path reaches. plpgsql's handlers are left out.
 */
export const routinesQuery = `
SELECT DISTINCT n.nspname AS schema, p.proname AS name, p.prokind AS kind
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE ${schemaFilter('n.nspname')}
   OR (n.nspname = 'pg_catalog' AND EXISTS (
         SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
           AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND e.extname <> 'plpgsql'))`;
