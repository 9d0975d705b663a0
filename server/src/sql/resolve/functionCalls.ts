/**
 * `unknown-function` (PostgreSQL): a call whose name is not built in (`pg_catalog` of PostgreSQL 15
 * or PGlite's 18), not a function, aggregate or type of the snapshot, and not created earlier in
 * the script. Only the name is judged, never the arguments: overloads and implicit casts are the
 * database's to decide, and the live check asks it. Whenever the schema may be incomplete (an
 * embedded build with failed DDL, discovery limited to some schemas, an extension created in the
 * script, a server older than 15 or newer than 18) nothing is said.
 */
import { postgresMajorVersion, type SchemaSnapshot } from '../../schema/snapshot';
import type { Finding } from '../findings';
import type { FunctionCall } from '../model';
import { POSTGRES_BUILTIN_NAMES } from '../postgres/builtinNames';
import type { ResolutionContext } from './context';
import { suggestAcross } from './suggest';
import { unknownFunction } from './unknownFunction';

/** What a call may name, per schema: routines, and types (a type called like a function is a cast). */
interface CallableNames {
  bySchema: Map<string, Set<string>>;
  anywhere: Set<string>;
}

const callableIndexes = new WeakMap<SchemaSnapshot, CallableNames>();
/** Built-in names a user calls: not array types (`_int4`), trigger internals or type I/O functions. */
const SUGGESTED_BUILTINS = [...POSTGRES_BUILTIN_NAMES].filter(
  (name) => /^[a-z][a-z0-9_]*$/.test(name) && !/(in|out|recv|send|support|handler)$/.test(name),
);

/** Names of about the same length: a misspelling, not a longer function that contains it. */
function typoCandidates(names: Iterable<string>, wanted: string): { name: string }[] {
  return [...names].filter((n) => Math.abs(n.length - wanted.length) <= 2).map((name) => ({ name }));
}

function callableNames(snapshot: SchemaSnapshot): CallableNames {
  const cached = callableIndexes.get(snapshot);
  if (cached) return cached;
  const index: CallableNames = { bySchema: new Map(), anywhere: new Set() };
  const add = (schema: string, name: string): void => {
    let names = index.bySchema.get(schema);
    if (!names) index.bySchema.set(schema, (names = new Set<string>()));
    names.add(name);
    index.anywhere.add(name);
  };
  for (const routine of snapshot.routines) {
    add(routine.schema, routine.name);
    // A base type from an extension (citext, ltree, vector) is not in the snapshot, but its input
    // function is (`citextin`, `ltree_in`): its name may be a cast.
    const typeName = /^(.+?)_?in$/.exec(routine.name)?.[1];
    if (typeName) add(routine.schema, typeName);
  }
  for (const type of [...snapshot.relations, ...snapshot.enums, ...snapshot.domains]) add(type.schema, type.name);
  callableIndexes.set(snapshot, index);
  return index;
}

/** The server versions `builtinNames.ts` covers: older ones had functions since removed. */
const COVERED_MAJOR_VERSIONS = { from: 15, to: 18 };

export function unknownFunctions(calls: readonly FunctionCall[], ctx: ResolutionContext): Finding[] {
  const { snapshot } = ctx;
  if (ctx.dialect !== 'postgres' || snapshot.uncertain || ctx.routinesUnknowable) return [];
  const major = postgresMajorVersion(snapshot.server);
  if (major === undefined || major < COVERED_MAJOR_VERSIONS.from || major > COVERED_MAJOR_VERSIONS.to) return [];
  const callable = callableNames(snapshot);
  const findings: Finding[] = [];
  for (const call of calls) {
    if (isKnown(call, callable, ctx)) continue;
    const { schema, name } = call;
    // Suggestions replace the name only: a qualified call gets names of its own schema; an
    // unqualified one the same name in a schema off the search path first, then near names.
    const elsewhere = schema
      ? []
      : [...callable.bySchema].filter(([, names]) => names.has(name.text)).map(([other]) => `${other}.${name.text}`);
    const near = schema
      ? [{ candidates: typoCandidates(callable.bySchema.get(schema.text) ?? [], name.text) }]
      : [
          { candidates: typoCandidates(callable.anywhere, name.text) },
          { candidates: typoCandidates(SUGGESTED_BUILTINS, name.text) },
        ];
    const suggestions = [...elsewhere, ...suggestAcross(name.text, near)].slice(0, 3);
    const written = schema ? `${schema.text}.${name.text}` : name.text;
    const where = schema
      ? `schema "${schema.text}" has no function of that name`
      : `PostgreSQL has no built-in function of that name and no schema on the search path (${ctx.searchPath.join(', ')}) has one`;
    findings.push(unknownFunction(name, written, where, suggestions));
  }
  return findings;
}

/** An extension's function in pg_catalog, which every search path reaches. */
function inCatalog(name: string, callable: CallableNames): boolean {
  return callable.bySchema.get('pg_catalog')?.has(name) ?? false;
}

/** True unless the call certainly names nothing the database has. */
function isKnown(call: FunctionCall, callable: CallableNames, ctx: ResolutionContext): boolean {
  const name = call.name.text;
  if (ctx.createdRoutines.has(name)) return true;
  if (call.schema) {
    const schema = call.schema.text;
    if (schema === 'pg_catalog') return POSTGRES_BUILTIN_NAMES.has(name) || inCatalog(name, callable);
    if (ctx.isSystemSchema(schema) || ctx.excludedByFilter(schema)) return true;
    // A schema the snapshot lacks is the server's "schema does not exist", not judged here.
    if (!ctx.schemaNames().includes(schema)) return true;
    return callable.bySchema.get(schema)?.has(name) ?? false;
  }
  if (POSTGRES_BUILTIN_NAMES.has(name) || inCatalog(name, callable)) return true;
  if (ctx.searchPath.some((s) => callable.bySchema.get(s)?.has(name))) return true;
  // information_schema (or another system schema) on the search path: its functions are not read.
  if (ctx.searchPath.some((s) => s !== 'pg_catalog' && ctx.isSystemSchema(s))) return true;
  // Discovery limited to some schemas, or a search-path schema it did not read, may hide the function.
  if (ctx.snapshot.server.includedSchemas) return true;
  const known = new Set(ctx.schemaNames());
  return ctx.searchPath.some((s) => !known.has(s) && !ctx.isSystemSchema(s));
}
