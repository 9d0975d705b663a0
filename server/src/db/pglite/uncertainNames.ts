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

/**
 * What the schema files that did not apply would have created: every name their statements
 * mention (read with libpg-query), each with the file's warning as the reason. Broad on purpose:
 * a name wrongly held uncertain costs a `not-checked`, one wrongly held absent a false error. A file
 * libpg-query cannot read (syntax from a newer server) leaves no name sure.
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
    for (const name of mentionedNames(tree)) uncertain.names[name.toLowerCase()] ??= warning.message;
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
