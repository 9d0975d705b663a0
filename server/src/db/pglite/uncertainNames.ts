import { loadModule, parseSync } from 'libpg-query';
import type { SchemaSnapshot } from '../../schema/snapshot';
import type { DiscoveryWarning } from '../driver';
import type { SchemaFile } from './schemaFiles';

/**
 * The AST fields that name what a DDL statement creates, alters or refers to. Not `schemaname`,
 * which qualifies every table reference (`public`): only a `CREATE SCHEMA` makes one uncertain.
 */
const NAME_FIELDS = new Set(['relname', 'colname', 'newname', 'idxname']);
/** The AST fields that hold a qualified name as a list of strings, the object's name last. */
const QUALIFIED_NAME_FIELDS = new Set(['funcname', 'typeName', 'domainname', 'defnames', 'names']);

/** Statements that change no name: what they mention is known or absent as before. */
const CREATES_NOTHING = new Set([
  'CopyStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'TransactionStmt',
  'ExplainStmt',
  'GrantStmt',
  'GrantRoleStmt',
  'CommentStmt',
  'LockStmt',
  'VacuumStmt',
  'CheckPointStmt',
  'NotifyStmt',
  'ListenStmt',
  'DiscardStmt',
]);
const OPAQUE = new Set(['DoStmt', 'CallStmt', 'ExecuteStmt']);

/** `SELECT … INTO t` creates a table; any other SELECT creates nothing. */
const hasInto = (select: unknown): boolean => Boolean((select as { intoClause?: unknown } | undefined)?.intoClause);

/**
 * What the schema files that did not apply would have created: every name their DDL statements
 * mention (read with libpg-query), each with the file's warning as the reason. Broad on purpose:
 * a name wrongly held uncertain costs a `not-checked`, one wrongly held absent a false error. A file
 * libpg-query cannot read (syntax from a newer server) or a failed DO block leaves no name sure.
 */
export async function uncertainNames(
  failed: readonly { file: SchemaFile; warning: DiscoveryWarning }[],
): Promise<SchemaSnapshot['uncertain']> {
  if (failed.length === 0) return undefined;
  await loadModule();
  const uncertain: NonNullable<SchemaSnapshot['uncertain']> = { names: {} };
  for (const { file, warning } of failed) {
    let tree: unknown;
    try {
      tree = parseSync(file.text);
    } catch {
      uncertain.everything ??= warning.message;
      continue;
    }
    for (const { stmt } of (tree as { stmts?: { stmt?: Record<string, unknown> }[] }).stmts ?? []) {
      const [kind, body] = Object.entries(stmt ?? {})[0] ?? [];
      if (kind === undefined || CREATES_NOTHING.has(kind) || (kind === 'SelectStmt' && !hasInto(body))) continue;
      // A DO block or a procedure may create anything, and what it creates cannot be read.
      if (OPAQUE.has(kind)) uncertain.everything ??= warning.message;
      for (const name of mentionedNames(body)) uncertain.names[name.toLowerCase()] ??= warning.message;
    }
  }
  return uncertain;
}

function mentionedNames(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) mentionedNames(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const created = key === 'CreateSchemaStmt' ? (value as { schemaname?: string }).schemaname : undefined;
      if (created) found.push(created);
      if (NAME_FIELDS.has(key) && typeof value === 'string') found.push(value);
      else if (QUALIFIED_NAME_FIELDS.has(key) && Array.isArray(value)) {
        const last = (value.at(-1) as { String?: { sval?: string } } | undefined)?.String?.sval;
        if (last) found.push(last);
        mentionedNames(value, found);
      } else mentionedNames(value, found);
    }
  }
  return found;
}
