/**
 * `unknown-function` (MariaDB, offline): a call whose name MariaDB 10.11 does not have built in
 * (`mysql/builtinNames.ts`, generated from the server), that is no stored function of the database
 * it names or of the current one, no UDF (`mysql.func`) or function plugin, and not created earlier
 * in the script. Nothing is said when that cannot be known: another product or version, sql_mode
 * ORACLE, a database outside the snapshot, UDFs discovery could not read, a plugin installed or
 * an unreadable CREATE FUNCTION in the script. Only the name is judged; the arguments are the server's (the live check asks it).
 */
import type { Finding } from '../findings';
import type { FunctionCall } from '../model';
import { MARIADB_BUILTIN_NAMES } from '../mysql/builtinNames';
import type { ResolutionContext } from './context';
import { suggestAcross } from './suggest';
import { unknownFunction } from './unknownFunction';

/** The MariaDB series the built-in list was generated from. */
const COVERED_VERSION = /^10\.11\./;

export function unknownMariadbFunctions(calls: readonly FunctionCall[], ctx: ResolutionContext): Finding[] {
  const { server } = ctx.snapshot;
  if (server.product !== 'mariadb' || !COVERED_VERSION.test(server.version) || server.udfs === undefined) return [];
  // Oracle mode has functions and package calls of its own.
  if (/ORACLE/i.test(server.sqlMode ?? '')) return [];
  if (ctx.snapshot.uncertain || ctx.routinesUnknowable) return [];
  const findings: Finding[] = [];
  for (const call of calls) {
    const database = call.schema?.text ?? ctx.searchPath[0];
    if (!database || isKnown(call, database, ctx)) continue;
    const { name } = call;
    const ownFunctions = storedFunctions(ctx, database).map((n) => ({ name: n }));
    const near = call.schema
      ? [{ candidates: ownFunctions }]
      : [{ candidates: ownFunctions }, { candidates: SUGGESTED_BUILTINS }];
    const suggestions = suggestAcross(name.text, near).slice(0, 3);
    const written = call.schema ? `${call.schema.text}.${name.text}` : name.text;
    const where = call.schema
      ? `database "${database}" has no stored function of that name`
      : `MariaDB has no built-in function of that name and the current database "${database}" has no stored function of it`;
    findings.push(unknownFunction(name, written, where, suggestions));
  }
  return findings;
}

/** Built-in names for suggestions, in the lower case code usually writes them. */
const SUGGESTED_BUILTINS = [...MARIADB_BUILTIN_NAMES].map((name) => ({ name: name.toLowerCase() }));

/** True unless the call certainly names nothing the server has. */
function isKnown(call: FunctionCall, database: string, ctx: ResolutionContext): boolean {
  const upper = call.name.text.toUpperCase();
  if (call.name.start < 0 || MARIADB_BUILTIN_NAMES.has(upper)) return true;
  if ([...ctx.createdRoutines].some((created) => created.toUpperCase() === upper)) return true;
  if ((ctx.snapshot.server.udfs ?? []).some((udf) => udf.toUpperCase() === upper)) return true;
  // A database the snapshot lacks is the server's "unknown database", not judged here.
  if (ctx.isSystemSchema(database) || ctx.excludedByFilter(database)) return true;
  if (!ctx.schemaNames().some((s) => ctx.tableKey(s) === ctx.tableKey(database))) return true;
  return storedFunctions(ctx, database).some((routine) => routine.toUpperCase() === upper);
}

function storedFunctions(ctx: ResolutionContext, database: string): string[] {
  return ctx.snapshot.routines.filter((r) => ctx.tableKey(r.schema) === ctx.tableKey(database)).map((r) => r.name);
}
