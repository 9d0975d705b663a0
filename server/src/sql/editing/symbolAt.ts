import type { Column, Relation, SchemaInfo, SchemaSnapshot } from '../../schema/snapshot';
import { mentionRelation, resolveQualifier, statementAround, uniqueColumnOwner } from './completion';
import { catalogName, findColumn, findRelationByName, findSchema } from './nameLookup';
import { readStatement } from './statementContext';

/** A schema element named in SQL text. */
export type SchemaElement =
  | { kind: 'schema'; schema: SchemaInfo }
  | { kind: 'relation'; relation: Relation }
  | { kind: 'column'; relation: Relation; column: Column };

export interface SymbolAtOffset {
  element: SchemaElement;
  /** The identifier's range in the document. */
  start: number;
  end: number;
}

const TABLE_KEYWORDS = new Set(['from', 'join', 'update', 'into', 'table']);

/**
 * The schema element the identifier at `offset` names: a column (through its alias or the only
 * table of the statement that has it), a table or view, or a schema. Undefined where it is not
 * a known element (a keyword, an alias being declared, an output alias, …).
 */
export function symbolAt(text: string, offset: number, snapshot: SchemaSnapshot): SymbolAtOffset | undefined {
  const segment = statementAround(text, offset, snapshot);
  const reading = readStatement(text.slice(segment.start, segment.end), snapshot.dialect);
  const local = offset - segment.start;
  const tokens = reading.tokens;
  const index = tokens.findIndex(
    (t) => (t.kind === 'word' || t.kind === 'quoted-identifier') && t.start <= local && local <= t.end,
  );
  if (index < 0) return undefined;

  // The dotted chain the identifier belongs to: `a.b.c`.
  let first = index;
  while (tokens[first - 1]?.text === '.' && tokens[first - 2] && /word|quoted/.test(tokens[first - 2].kind)) first -= 2;
  let last = index;
  while (tokens[last + 1]?.text === '.' && tokens[last + 2] && /word|quoted/.test(tokens[last + 2].kind)) last += 2;
  const chain = [];
  for (let i = first; i <= last; i += 2) chain.push(catalogName(tokens[i].text, snapshot.dialect));
  const position = (index - first) / 2;
  const token = tokens[index];
  const range = { start: segment.start + token.start, end: segment.start + token.end };
  const inTablePosition =
    TABLE_KEYWORDS.has(tokens[first - 1]?.text.toLowerCase() ?? '') ||
    (tokens[first - 1]?.text === ',' && reading.mentions.some((m) => m.start === tokens[last].start));

  const element = elementFor(chain, position, inTablePosition);
  return element ? { element, ...range } : undefined;

  function elementFor(names: string[], at: number, tablePosition: boolean): SchemaElement | undefined {
    const name = names[at];
    if (tablePosition || reading.mentions.some((m) => m.start === tokens[last].start)) {
      // A FROM item: schema.table
      if (at === names.length - 1) {
        const relation = findRelationByName(snapshot, names.length > 1 ? names[names.length - 2] : undefined, name);
        return relation ? { kind: 'relation', relation } : undefined;
      }
      const schema = findSchema(snapshot, name);
      return schema ? { kind: 'schema', schema } : undefined;
    }
    if (at === names.length - 1 && names.length >= 2) {
      const owner = resolveQualifier(
        reading,
        snapshot,
        names.length >= 3 ? names[names.length - 3] : undefined,
        names[names.length - 2],
      );
      const column = owner && findColumn(snapshot, owner, name);
      if (owner && column) return { kind: 'column', relation: owner, column };
      const relation = findRelationByName(snapshot, names[names.length - 2], name);
      return relation ? { kind: 'relation', relation } : undefined;
    }
    if (names.length === 1) {
      const owner = uniqueColumnOwner(reading, snapshot, name);
      const column = owner && findColumn(snapshot, owner, name);
      if (owner && column) return { kind: 'column', relation: owner, column };
      const mention = reading.mentions.find((m) => m.alias === name);
      const aliased = mention && mentionRelation(snapshot, mention);
      if (aliased) return { kind: 'relation', relation: aliased };
      const relation = findRelationByName(snapshot, undefined, name);
      return relation ? { kind: 'relation', relation } : undefined;
    }
    // A qualifier in the middle of a chain: alias, table or schema.
    const qualifierOf =
      names.length - at === 2
        ? resolveQualifier(reading, snapshot, at > 0 ? names[at - 1] : undefined, name)
        : undefined;
    if (qualifierOf) return { kind: 'relation', relation: qualifierOf };
    const schema = findSchema(snapshot, name);
    return schema ? { kind: 'schema', schema } : undefined;
  }
}

/** Markdown for a hover: type, nullability, keys, default, comment. */
export function describeElement(element: SchemaElement, connection: string): string {
  const footer = `\n\n---\n*${connection}*`;
  if (element.kind === 'schema')
    return `**schema** \`${element.schema.name}\`${element.schema.comment ? `\n\n${element.schema.comment}` : ''}${footer}`;
  const r = element.relation;
  if (element.kind === 'relation') {
    const lines = [`**${r.kind}** \`${r.schema}.${r.name}\``];
    if (r.comment) lines.push('', r.comment);
    lines.push('', '| column | type | |', '| --- | --- | --- |');
    for (const c of r.columns) lines.push(`| \`${c.name}\` | \`${c.type}\` | ${columnFlags(r, c).join(', ')} |`);
    for (const fk of r.foreignKeys)
      lines.push(
        '',
        `FK (${fk.columns.join(', ')}) → \`${fk.referencedSchema}.${fk.referencedTable}\` (${fk.referencedColumns.join(', ')})`,
      );
    return lines.join('\n') + footer;
  }
  const c = element.column;
  const lines = [`**column** \`${r.schema}.${r.name}.${c.name}\``, '', `\`${c.type}\` ${columnFlags(r, c).join(', ')}`];
  if (c.default !== null) lines.push('', `default \`${c.default}\``);
  if (c.comment) lines.push('', c.comment);
  return lines.join('\n') + footer;
}

function columnFlags(r: Relation, c: Column): string[] {
  const flags = [c.nullable ? 'null' : 'not null'];
  if (r.primaryKey?.columns.includes(c.name)) flags.push('primary key');
  if (r.uniqueConstraints.some((u) => u.columns.length === 1 && u.columns[0] === c.name)) flags.push('unique');
  for (const fk of r.foreignKeys)
    if (fk.columns.includes(c.name))
      flags.push(`→ ${fk.referencedTable}.${fk.referencedColumns[fk.columns.indexOf(c.name)] ?? ''}`);
  return flags;
}
