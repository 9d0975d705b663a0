/**
 * Static dependencies: places where code hard-codes knowledge of the schema — table and column
 * names in string literals, objects/dicts mapping terms to tables or columns, and whole SQL
 * templates. A name counts only when the snapshot (or the previous one) has it.
 */
import type { MappingLiteral, PlainLiteral } from './hostScan';
import type { SqlRegion } from './region';
import {
  identifierParts,
  resolveName,
  type NameMatch,
  type SchemaElementRef,
  type SchemaNameIndex,
} from './schemaNames';
import type { EmbeddedSettings, Severity } from './settings';
import { tokenizeSql } from './sqlLexer';
import { relationNames } from './sqlShape';

export type StaticDependencyCode = 'hardcoded-table' | 'hardcoded-column' | 'static-mapping' | 'sql-template';

/** How the client's Static Dependencies view groups them. */
export type StaticDependencyCategory = 'hardcoded-name' | 'static-mapping' | 'sql-template';

export interface StaticDependency {
  code: StaticDependencyCode;
  category: StaticDependencyCategory;
  severity: Exclude<Severity, 'off'>;
  /** Host offsets (UTF-16): the literal's text without quotes, or the whole SQL expression. */
  start: number;
  end: number;
  /** The element depended on; for an SQL template, the first relation it names. */
  element: SchemaElementRef;
  /** SQL templates: every relation the statement names that the schema has. */
  elements?: SchemaElementRef[];
  /** The element exists only in the previous snapshot. */
  goneNow?: boolean;
  message: string;
}

export interface StaticReferenceInput {
  literals: PlainLiteral[];
  mappings: MappingLiteral[];
  regions: Omit<SqlRegion, 'suppressed'>[];
  current: SchemaNameIndex | undefined;
  previous: SchemaNameIndex | undefined;
  settings: EmbeddedSettings;
}

const describe = (e: SchemaElementRef): string => [e.schema, e.table, e.column].filter(Boolean).join('.');
const GONE = ' It is no longer in the schema.';
const MIGRATE = 'Refer to it through a generated schema module so that a schema change shows up at compile time.';

/** Finds every static dependency of one file. */
export function findStaticDependencies(input: StaticReferenceInput): StaticDependency[] {
  const { settings } = input;
  const ignored = new Set(settings.ignoredNames.map((n) => n.toLowerCase()));
  const isIgnored = (written: string, element: SchemaElementRef): boolean =>
    ignored.has(written.toLowerCase()) ||
    ignored.has(describe(element).toLowerCase()) ||
    ignored.has(element.table.toLowerCase()) ||
    ignored.has(`${element.table}.${element.column ?? ''}`.toLowerCase());
  const dependencies: StaticDependency[] = [];
  const add = (
    code: StaticDependencyCode,
    severity: Severity,
    dependency: Omit<StaticDependency, 'code' | 'category' | 'severity'>,
  ): void => {
    if (severity === 'off') return;
    const category = code === 'hardcoded-table' || code === 'hardcoded-column' ? 'hardcoded-name' : code;
    dependencies.push({ code, category, severity, ...dependency });
  };
  const resolve = (value: string): NameMatch | undefined => {
    const parts = identifierParts(value);
    const match = parts && resolveName(parts, input.current, input.previous);
    return match && !isIgnored(value, match.element) ? match : undefined;
  };

  const claimed = new Set<number>();
  for (const mapping of input.mappings) {
    for (const entry of mappingEntries(mapping, input, resolve)) {
      claimed.add(entry.literal.start);
      const { element, goneNow } = entry.match;
      add('static-mapping', settings.severities['static-mapping'], {
        start: entry.literal.start,
        end: entry.literal.end,
        element,
        ...(goneNow && { goneNow }),
        message: `Static mapping to ${describe(element)}: this table of names must be edited by hand whenever the schema changes. ${MIGRATE}${goneNow ? GONE : ''}`,
      });
    }
  }

  for (const literal of input.literals) {
    if (claimed.has(literal.start)) continue;
    const match = resolve(literal.value);
    if (!match) continue;
    const { element, goneNow } = match;
    const code = element.column ? 'hardcoded-column' : 'hardcoded-table';
    const what = element.column ? `column "${literal.value}"` : `table name "${literal.value}"`;
    add(code, settings.severities[code], {
      start: literal.start,
      end: literal.end,
      element,
      ...(goneNow && { goneNow }),
      message: `Hard-coded ${what} (${describe(element)}). ${MIGRATE}${goneNow ? GONE : ''}`,
    });
  }

  for (const region of input.regions) {
    const elements = templateElements(region, input).filter((m) => !isIgnored(describe(m.element), m.element));
    if (elements.length === 0) continue;
    const names = elements.map((m) => describe(m.element)).join(', ');
    const risky = region.injectionRisk;
    add('sql-template', settings.severities[risky ? 'sql-template-interpolated' : 'sql-template'], {
      start: region.hostStart,
      end: region.hostEnd,
      element: elements[0].element,
      elements: elements.map((m) => m.element),
      ...(elements.some((m) => m.goneNow) && { goneNow: true }),
      message: risky
        ? `SQL template on ${names}, built by splicing values into the text: injection risk. Pass the values as bound parameters or build the query with a query builder.`
        : `SQL template on ${names}: hard-coded SQL that a schema change breaks at run time. A query builder over a generated schema module catches it at compile time.`,
    });
  }
  return dependencies.sort((a, b) => a.start - b.start);
}

interface MappingEntry {
  literal: PlainLiteral;
  match: NameMatch;
}

/**
 * The entries of an object/dict that make it a static mapping: at least two keys or values naming
 * tables or qualified columns, or at least two bare column names of one table (`{ newest:
 * 'created_at', total: 'total_cents' }`). Anything less is an ordinary object.
 */
function mappingEntries(
  mapping: MappingLiteral,
  input: StaticReferenceInput,
  resolve: (value: string) => NameMatch | undefined,
): MappingEntry[] {
  const strong = [...mapping.keys, ...mapping.values]
    .map((literal) => ({ literal, match: resolve(literal.value) }))
    .filter((e): e is MappingEntry => e.match !== undefined);
  const bare = mapping.values.filter(
    (v) => identifierParts(v.value)?.length === 1 && !strong.some((s) => s.literal === v),
  );
  const owner = commonTable(bare, strong, input);
  const weak: MappingEntry[] = [];
  if (owner) {
    for (const literal of bare) {
      const column = owner.index.columnOf(owner.relation, literal.value);
      if (!column) continue;
      const element = { schema: owner.relation.schema, table: owner.relation.name, column };
      weak.push({ literal, match: { element, goneNow: owner.gone } });
    }
  }
  if (strong.length >= 2 || weak.length >= 2 || (strong.length >= 1 && weak.length >= 1)) return [...strong, ...weak];
  return [];
}

/** The table that owns the bare column names: one named by a strong entry, else the first having them all. */
function commonTable(bare: PlainLiteral[], strong: MappingEntry[], input: StaticReferenceInput) {
  for (const [index, gone] of [
    [input.current, false],
    [input.previous, true],
  ] as const) {
    if (!index || bare.length === 0) continue;
    const named = strong
      .map((s) => index.table(s.match.element.schema, s.match.element.table))
      .filter((r) => r !== undefined);
    const candidates = named.length > 0 ? named : index.tablesWithColumn(bare[0].value);
    const owner = candidates.find((relation) => {
      const owned = bare.filter((b) => index.columnOf(relation, b.value) !== undefined).length;
      return owned >= Math.min(2, bare.length) && owned * 2 >= bare.length;
    });
    if (owner) return { index, relation: owner, gone };
  }
  return undefined;
}

function templateElements(region: Omit<SqlRegion, 'suppressed'>, input: StaticReferenceInput): NameMatch[] {
  const seen = new Set<string>();
  const matches: NameMatch[] = [];
  for (const name of relationNames(tokenizeSql(region.text, region.dialect).filter((t) => t.kind !== 'comment'))) {
    // Unquoted PostgreSQL names fold to lower case; try them as written first.
    const match =
      resolveName(name.parts, input.current, input.previous) ??
      resolveName(
        name.parts.map((p) => p.toLowerCase()),
        input.current,
        input.previous,
      );
    if (!match || seen.has(describe(match.element))) continue;
    seen.add(describe(match.element));
    matches.push(match);
  }
  return matches;
}
