/**
 * The resolver's findings, worded the way PostgreSQL's own messages are but saying what to do,
 * with "did you mean" suggestions and the names `ignoredNames` settings match against.
 */
import { finding } from '../findings';
import type { Ident, TableRef } from '../model';
import type { RelationLookup } from './context';
import type { Frame, Resolver } from './resolveStatement';
import type { Source } from './sources';
import { didYouMean, suggest, suggestAcross, type Candidate, type CandidateGroup } from './suggest';

/** One candidate group per source, each indexed once per column set (a relation's lives with the snapshot). */
function columnGroups(sources: readonly Source[]): CandidateGroup[] {
  return sources.map((s) => ({
    candidates: () => s.columns.names.map((name) => ({ name, comment: s.columns.comments?.get(name) ?? null })),
    cacheKey: s.columns,
  }));
}

function sourceList(sources: readonly Source[]): string {
  const labels = [...new Set(sources.map((s) => s.label))];
  return labels.length > 4 ? `${labels.slice(0, 4).join(', ')} …` : labels.join(', ');
}

/** `$1` in MySQL: a PostgreSQL placeholder the server reads as a column name. */
function placeholderNote(r: Resolver, column: Ident): string {
  return r.ctx.dialect === 'mysql' && !column.quoted && /^\$\d+$/.test(column.text)
    ? ' MySQL and MariaDB read `$1` as a column name: their placeholder is `?`.'
    : '';
}

/** A column no visible source has (or not the named one). */
export function reportUnknownColumn(
  r: Resolver,
  column: Ident,
  sources: readonly Source[],
  where: string | undefined,
  qualifiers: readonly Ident[] = [],
): void {
  const suggestions = suggestAcross(column.text, columnGroups(sources));
  const written = [...qualifiers.map((q) => q.text), column.text].join('.');
  const onWhat =
    sources.length === 0
      ? ' (the statement has no FROM clause here)'
      : sources.length === 1
        ? ` on ${sources[0].label}`
        : ` in ${sourceList(sources)}`;
  const relation = sources.length === 1 ? sources[0]?.relation : undefined;
  r.report(
    finding(
      'unknown-column',
      column.start,
      column.end,
      `Column "${written}" does not exist${onWhat}${where ? ` ${where}` : ''}.${didYouMean(suggestions)}${placeholderNote(r, column)}`,
      suggestions,
      {
        names: [
          column.text,
          ...(relation
            ? [`${relation.name}.${column.text}`, `${relation.schema}.${relation.name}.${column.text}`]
            : []),
        ],
      },
    ),
  );
}

export function reportAmbiguous(r: Resolver, column: Ident, sources: readonly Source[]): void {
  const labels = [...new Set(sources.map((s) => s.label))];
  const qualifiers = [...new Set(sources.flatMap((s) => (s.refKey ? [s.refKey] : [])))];
  const message =
    labels.length > 1
      ? `Column reference "${column.text}" is ambiguous: ${labels.join(' and ')} both have it. Qualify it, e.g. "${qualifiers[0] ?? 't'}.${column.text}".`
      : `Column reference "${column.text}" is ambiguous: ${labels[0] ?? 'the source'} has two columns of that name. Give them distinct aliases.`;
  r.report(
    finding(
      'ambiguous-column',
      column.start,
      column.end,
      message,
      qualifiers.map((q) => `${q}.${column.text}`),
      { names: [column.text] },
    ),
  );
}

/** `o.total` where nothing in scope is called `o`. */
export function reportMissingSource(r: Resolver, qualifier: Ident, frame: Frame): void {
  const visible: Source[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) visible.push(...f.sources);
  const names = [...new Set(visible.flatMap((s) => (s.refKey ? [s.refKey] : [])))];
  const suggestions = suggest(
    qualifier.text,
    names.map((name) => ({ name })),
  );
  const inScope = names.length ? ` (in scope: ${names.slice(0, 6).join(', ')})` : '';
  r.report(
    finding(
      'unknown-table',
      qualifier.start,
      qualifier.end,
      `Missing FROM-clause entry for table "${qualifier.text}"${inScope}; add it to FROM or use one of those names.${didYouMean(suggestions)}`,
      suggestions,
      { names: [qualifier.text] },
    ),
  );
}

/** A table or schema the snapshot does not have. */
export function reportUnknownRelation(r: Resolver, ref: TableRef, lookup: RelationLookup, scope: Frame): void {
  if (lookup.kind === 'missing-schema' && ref.schema) {
    const schema = ref.schema;
    const suggestions = suggest(
      schema.text,
      r.ctx.schemaNames().map((name) => ({ name })),
    );
    r.report(
      finding(
        'unknown-schema',
        schema.start,
        schema.end,
        `Schema "${schema.text}" does not exist.${didYouMean(suggestions)}`,
        suggestions,
        {
          names: [schema.text, `${schema.text}.${ref.name.text}`],
        },
      ),
    );
    return;
  }
  if (lookup.kind !== 'missing-relation') return;
  const relations = r.ctx.relationsIn(ref.schema?.text);
  const ctes: Candidate[] = [];
  if (!ref.schema)
    for (let f: Frame | undefined = scope; f; f = f.parent)
      ctes.push(...f.ctes.map((e) => ({ name: e.cte.name.text })));
  // The relations are the context's cached list, so its fuzzy index is reused; CTEs come after them.
  let suggestions = suggestAcross(ref.name.text, [
    { candidates: () => relations.map((rel) => ({ name: rel.name, comment: rel.comment })), cacheKey: relations },
    ...(ctes.length ? [{ candidates: ctes }] : []),
  ]);
  if (suggestions.length === 0 && !ref.schema) {
    // The table may live in a schema outside the search path: suggest it qualified.
    const elsewhere = r.ctx.snapshot.relations.filter(
      (rel) => r.ctx.tableKey(rel.name) === r.ctx.tableKey(ref.name.text),
    );
    suggestions = elsewhere.map((rel) => `${rel.schema}.${rel.name}`).slice(0, 3);
  }
  const where = ref.schema
    ? `in schema "${ref.schema.text}"`
    : r.ctx.dialect === 'postgres'
      ? `in the search path (${lookup.searched.join(', ')})`
      : `in database "${lookup.searched.join(', ')}"`;
  const written = ref.schema ? `${ref.schema.text}.${ref.name.text}` : ref.name.text;
  r.report(
    finding(
      'unknown-table',
      ref.name.start,
      ref.name.end,
      `Table "${written}" does not exist ${where}.${didYouMean(suggestions)}`,
      suggestions,
      {
        names: [ref.name.text, written],
      },
    ),
  );
}
