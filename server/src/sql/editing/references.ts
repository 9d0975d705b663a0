import type { SchemaSnapshot } from '../../schema/snapshot';
import { splitStatements } from '../splitStatements';
import { readStatement } from './statementContext';
import { StatementNames, type SchemaElement } from './symbolAt';

/** A schema element as plain data: what a reference points at, stable across snapshots. */
export interface ElementRef {
  kind: 'schema' | 'relation' | 'column';
  schema: string;
  /** The table or view, for `relation` and `column`. */
  table?: string;
  column?: string;
}

/** One identifier in SQL text that names a schema element. */
export interface SqlReference {
  /** The identifier's range (UTF-16 offsets into the text), quotes included. */
  start: number;
  end: number;
  element: ElementRef;
}

/**
 * Every identifier in `text` that certainly names an element of the snapshot: tables and views
 * where a table goes (never through a CTE of the same name), schemas, columns qualified by a table
 * or alias, and unqualified columns that exactly one of the statement's tables has (and no
 * subquery, function or unknown table could provide). Each statement is read once.
 */
export function referencesInSql(text: string, snapshot: SchemaSnapshot): SqlReference[] {
  const references: SqlReference[] = [];
  for (const span of splitStatements(text, snapshot.dialect)) {
    const reading = readStatement(span.text, snapshot.dialect);
    const names = new StatementNames(reading, snapshot);
    for (const [i, token] of reading.tokens.entries()) {
      if (token.kind !== 'word' && token.kind !== 'quoted-identifier') continue;
      const element = names.elementAt(i, 'certain');
      if (element)
        references.push({ start: span.start + token.start, end: span.start + token.end, element: elementRef(element) });
    }
  }
  return references;
}

/** The plain-data form of a resolved element. */
export function elementRef(element: SchemaElement): ElementRef {
  if (element.kind === 'schema') return { kind: 'schema', schema: element.schema.name };
  const { schema, name } = element.relation;
  return element.kind === 'relation'
    ? { kind: 'relation', schema, table: name }
    : { kind: 'column', schema, table: name, column: element.column.name };
}

/** A key equal for equal elements: `kind`, schema, table and column. */
export function elementKey(element: ElementRef): string {
  return [element.kind, element.schema, element.table ?? '', element.column ?? ''].join('\0');
}

/** `schema`, `schema.table` or `schema.table.column`, for messages. */
export function describeElementRef(element: ElementRef): string {
  return [element.schema, element.table, element.column].filter((part) => part !== undefined).join('.');
}
