import { quoteIdentifier } from '../../schema/ddl';
import { compareText, type Relation, type SchemaSnapshot } from '../../schema/snapshot';
import { splitStatements } from '../splitStatements';
import { findColumn, findRelationByName, findSchema, isVisibleUnqualified } from './nameLookup';
import { cursorContext, prefixAt, readStatement, type StatementReading, type TableMention } from './statementContext';

export type CandidateKind = 'schema' | 'table' | 'view' | 'column' | 'alias';

/** One completion, as plain data; the language server turns it into a `CompletionItem`. */
export interface CompletionCandidate {
  label: string;
  kind: CandidateKind;
  /** Type or owner, shown beside the label. */
  detail: string;
  documentation?: string;
  /** The text inserted, quoted where the dialect needs it. */
  insertText: string;
  /** Orders candidates: the statement's own tables and columns first. */
  sortText: string;
}

export interface CompletionResult {
  /** The range the candidate replaces (the name typed so far), as offsets into the document. */
  start: number;
  end: number;
  /** The part of the name typed before the cursor. */
  typed: string;
  candidates: CompletionCandidate[];
}

/** The segment of the document around `offset`: from the previous statement's end to the next one's start. */
export function statementAround(
  text: string,
  offset: number,
  snapshot: SchemaSnapshot,
): { start: number; end: number } {
  const spans = splitStatements(text, snapshot.dialect);
  let start = 0;
  let end = text.length;
  for (const [i, span] of spans.entries()) {
    if (span.leadingStart <= offset) {
      start = span.leadingStart;
      end = spans[i + 1]?.leadingStart ?? text.length;
    }
  }
  return { start, end };
}

/**
 * Completion at `offset` of a SQL document: schemas and tables where a table goes, the columns of
 * the statement's tables (aliases resolved) in expressions, the target's columns in an INSERT
 * column list. Never capped: the editor filters by what is typed.
 */
export function completeSql(text: string, offset: number, snapshot: SchemaSnapshot): CompletionResult {
  const segment = statementAround(text, offset, snapshot);
  const reading = readStatement(text.slice(segment.start, segment.end), snapshot.dialect);
  const local = offset - segment.start;
  const prefix = prefixAt(reading, local);
  const context = cursorContext(reading, local, snapshot.dialect);
  const candidates: CompletionCandidate[] = [];
  const q = (name: string) => quoteIdentifier(name, snapshot.dialect);

  const relationCandidate = (r: Relation, qualified: boolean, rank: string) =>
    relationCandidateOf(snapshot, r, qualified, rank);
  const columnCandidates = (r: Relation, rank: string, owner: string) =>
    r.columns.map<CompletionCandidate>((c) => ({
      label: c.name,
      kind: 'column',
      detail: `${c.type}${c.nullable ? '' : ' not null'} · ${owner}`,
      documentation: c.comment ?? undefined,
      insertText: q(c.name),
      sortText: `${rank}${String(c.position).padStart(4, '0')}`,
    }));

  switch (context.kind) {
    case 'table': {
      if (context.schema !== undefined) {
        const schema = findSchema(snapshot, context.schema)?.name ?? context.schema;
        for (const r of snapshot.relations) if (r.schema === schema) candidates.push(relationCandidate(r, false, '1'));
        break;
      }
      for (const cte of reading.ctes)
        candidates.push({
          label: cte,
          kind: 'table',
          detail: 'common table expression',
          insertText: q(cte),
          sortText: `0${cte}`,
        });
      for (const candidate of schemaWideCandidates(snapshot).afterFrom) candidates.push(candidate);
      break;
    }
    case 'qualified': {
      const [first, second] =
        context.qualifiers.slice(-2).length === 2
          ? context.qualifiers.slice(-2)
          : [undefined, context.qualifiers[context.qualifiers.length - 1]];
      const relation = resolveQualifier(reading, snapshot, first, second);
      if (relation) candidates.push(...columnCandidates(relation, '0', relation.name));
      else if (first === undefined && findSchema(snapshot, second)) {
        const schema = findSchema(snapshot, second)!.name;
        for (const r of snapshot.relations) if (r.schema === schema) candidates.push(relationCandidate(r, false, '1'));
      }
      break;
    }
    case 'insert-columns': {
      const relation = context.table.name
        ? findRelationByName(snapshot, context.table.schema, context.table.name)
        : undefined;
      if (relation) candidates.push(...columnCandidates(relation, '0', relation.name));
      break;
    }
    case 'expression': {
      const seen = new Set<Relation>();
      for (const mention of reading.mentions) {
        const relation = mentionRelation(snapshot, mention);
        if (mention.alias)
          candidates.push({
            label: mention.alias,
            kind: 'alias',
            detail: relation ? `alias of ${relation.schema}.${relation.name}` : 'alias',
            insertText: q(mention.alias),
            sortText: `1${mention.alias}`,
          });
        if (relation && !seen.has(relation)) {
          seen.add(relation);
          candidates.push(
            ...columnCandidates(relation, '0', mention.alias ? `${relation.name} ${mention.alias}` : relation.name),
          );
        }
      }
      for (const candidate of schemaWideCandidates(snapshot).inExpression) candidates.push(candidate);
      break;
    }
  }
  return { start: segment.start + prefix.start, end: segment.start + prefix.end, typed: prefix.text, candidates };
}

function relationCandidateOf(
  snapshot: SchemaSnapshot,
  r: Relation,
  qualified: boolean,
  rank: string,
): CompletionCandidate {
  const q = (name: string) => quoteIdentifier(name, snapshot.dialect);
  return {
    label: qualified ? `${r.schema}.${r.name}` : r.name,
    kind: r.kind === 'view' || r.kind === 'materialized-view' ? 'view' : 'table',
    detail: `${r.kind} in ${r.schema}`,
    documentation: r.comment ?? undefined,
    insertText: qualified ? `${q(r.schema)}.${q(r.name)}` : q(r.name),
    sortText: `${rank}${r.name}`,
  };
}

/** The candidates that depend on the snapshot alone, built once per snapshot (never changed after). */
const schemaWide = new WeakMap<
  SchemaSnapshot,
  { afterFrom: CompletionCandidate[]; inExpression: CompletionCandidate[] }
>();

/**
 * Every relation and schema where a table goes (those outside the search path qualified), and the
 * relations visible unqualified in an expression: 10,000 tables are offered on every keystroke.
 */
function schemaWideCandidates(snapshot: SchemaSnapshot) {
  let found = schemaWide.get(snapshot);
  if (!found) {
    const afterFrom: CompletionCandidate[] = [];
    const inExpression: CompletionCandidate[] = [];
    for (const r of snapshot.relations) {
      const visible = isVisibleUnqualified(snapshot, r);
      afterFrom.push(relationCandidateOf(snapshot, r, !visible, visible ? '1' : '3'));
      if (visible) inExpression.push(relationCandidateOf(snapshot, r, false, '2'));
    }
    for (const s of snapshot.schemas)
      afterFrom.push({
        label: s.name,
        kind: 'schema',
        detail: 'schema',
        documentation: s.comment ?? undefined,
        insertText: quoteIdentifier(s.name, snapshot.dialect),
        sortText: `2${s.name}`,
      });
    // In the order a narrowed list keeps them, so narrowing sorts lists that are already sorted.
    const bySortText = (a: CompletionCandidate, b: CompletionCandidate) => compareText(a.sortText, b.sortText);
    found = { afterFrom: afterFrom.sort(bySortText), inExpression: inExpression.sort(bySortText) };
    schemaWide.set(snapshot, found);
  }
  return found;
}

/** The relation a mention names, when it names one in the snapshot. */
export function mentionRelation(snapshot: SchemaSnapshot, mention: TableMention): Relation | undefined {
  return mention.name === undefined ? undefined : findRelationByName(snapshot, mention.schema, mention.name);
}

/** `alias.`, `table.` or `schema.table.`: the relation whose columns belong after it. */
export function resolveQualifier(
  reading: StatementReading,
  snapshot: SchemaSnapshot,
  schema: string | undefined,
  name: string,
): Relation | undefined {
  if (schema === undefined) {
    const byAlias = reading.mentions.find((m) => m.alias === name || (m.alias === undefined && m.name === name));
    if (byAlias) return mentionRelation(snapshot, byAlias);
    if (reading.ctes.includes(name)) return undefined;
  }
  return findRelationByName(snapshot, schema, name);
}

/** The column `name` of the statement's tables, when exactly one of them has it. */
export function uniqueColumnOwner(
  reading: StatementReading,
  snapshot: SchemaSnapshot,
  name: string,
): Relation | undefined {
  const owners = new Set<Relation>();
  for (const mention of reading.mentions) {
    const relation = mentionRelation(snapshot, mention);
    if (relation && findColumn(snapshot, relation, name)) owners.add(relation);
  }
  return owners.size === 1 ? [...owners][0] : undefined;
}
