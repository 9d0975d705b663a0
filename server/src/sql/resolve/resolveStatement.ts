/**
 * Name resolution: walks a statement's query model, builds each level's sources from the snapshot,
 * and reports unknown schemas, tables and columns and ambiguous columns at their exact identifiers.
 * Every path that cannot be sure (a source with unknown columns, an `unsure` scope, a name that
 * might be a composite field) returns silently: a missed finding beats a false one.
 */
import type { Finding } from '../findings';
import { postgresMajorVersion } from '../../schema/snapshot';
import type { ColumnRef, Cte, FromItem, Ident, Name, Query, StatementModel, TableRef } from '../model';
import type { ResolutionContext } from './context';
import { unknownFunctions } from './functionCalls';
import { unknownMariadbFunctions } from './mysqlFunctionCalls';
import { checkLiteralComparisons } from './literalComparisons';
import { reportAmbiguous, reportMissingSource, reportUnknownColumn, reportUnknownRelation } from './report';
import {
  NO_MERGE,
  OPEN_COLUMNS,
  columnSet,
  combine,
  emptyNamespace,
  namespaceOf,
  relationColumns,
  starColumns,
  type ColumnSet,
  type Namespace,
  type Source,
} from './sources';
import { withUncertainty } from './uncertainty';

/** A name scope: the sources of one query level, and the level around it. */
export interface Frame {
  sources: Source[];
  /** Sources that take part in unqualified lookup and `*` (not ON CONFLICT's `excluded`). */
  nsSources: Source[];
  ns: Namespace;
  parent?: Frame;
  ctes: CteEntry[];
  outputKeys?: Set<string>;
  unsure: boolean;
  /** The INSERT/UPDATE/DELETE target of this level. */
  target?: Source;
}

interface CteEntry {
  key: string;
  cte: Cte;
  columns?: ColumnSet;
}

/** Resolves one statement's model and records what it changes for later statements of the script. */
export function resolveStatement(model: StatementModel, context: ResolutionContext): Finding[] {
  const resolver = new Resolver(context);
  if (model.query) resolver.query(model.query, undefined);
  if (model.calls) {
    const unknown = context.dialect === 'postgres' ? unknownFunctions : unknownMariadbFunctions;
    resolver.findings.push(...unknown(model.calls, context));
  }
  if (model.effect) context.applyEffect(model.effect);
  return resolver.findings;
}

class Resolver {
  readonly findings: Finding[] = [];

  constructor(readonly ctx: ResolutionContext) {}

  /** Resolves a query level under `outer` and returns the columns it produces. */
  query(q: Query, outer: Frame | undefined, onFirstOutputs?: (columns: ColumnSet) => void): ColumnSet {
    const withFrame = this.frame(outer);
    this.ctes(q, withFrame);
    const frame = this.frame(withFrame);
    frame.unsure = q.unsure;
    if (q.target) this.target(q, frame);
    for (const source of q.sources) this.query(source, withFrame);
    for (const item of q.from) {
      const added = this.fromItem(item, frame, withFrame);
      frame.ns = combine(frame.ns, added.ns, NO_MERGE);
      frame.nsSources.push(...added.sources);
      frame.sources.push(...added.sources);
    }
    if (q.unsure) frame.ns.open = true;
    frame.outputKeys = new Set(
      (q.outputs ?? []).flatMap((o) => (o.kind === 'column' && o.name ? [this.ctx.columnKey(o.name.text)] : [])),
    );
    if (!q.unsure) for (const ref of q.refs) this.ref(ref, frame);
    if (!q.unsure && q.literalComparisons) checkLiteralComparisons(this, q.literalComparisons, frame);
    for (const sub of q.subqueries) this.query(sub, frame);
    const outputs = this.outputs(q, frame);
    onFirstOutputs?.(outputs);
    for (const branch of q.setBranches) this.query(branch, withFrame);
    return outputs;
  }

  private frame(parent: Frame | undefined): Frame {
    return { sources: [], nsSources: [], ns: emptyNamespace(), parent, ctes: [], unsure: false };
  }

  private ctes(q: Query, withFrame: Frame): void {
    const entries = q.ctes.map((cte): CteEntry => ({ key: this.ctx.tableKey(cte.name.text), cte }));
    if (q.recursive) withFrame.ctes.push(...entries);
    for (const entry of entries) {
      const aliases = entry.cte.columnAliases;
      const apply = (columns: ColumnSet): ColumnSet =>
        aliases
          ? this.renamed(
              columns,
              aliases.map((a) => a.text),
            )
          : columns;
      const bodyFrame = this.frame(withFrame);
      bodyFrame.ctes = q.recursive ? [] : [...withFrame.ctes];
      // The recursive term may reference the CTE: its columns are known once the first branch is resolved.
      const columns = this.query(entry.cte.query, q.recursive ? withFrame : bodyFrame, (first) => {
        entry.columns = apply(first);
      });
      entry.columns = apply(columns);
      if (!q.recursive) withFrame.ctes.push(entry);
    }
  }

  private target(q: Query, frame: Frame): void {
    const target = q.target;
    if (!target) return;
    const source = this.tableSource(target.table, frame, false);
    frame.target = source;
    frame.sources.push(source);
    frame.nsSources.push(source);
    frame.ns = combine(frame.ns, namespaceOf(source), NO_MERGE);
    for (const column of [...target.columns, ...(target.valuesRefs ?? [])]) this.columnOf(source, column, []);
    if (target.excludedAlias)
      frame.sources.push({ ...source, refKey: this.ctx.tableKey('excluded'), label: '"excluded"' });
    for (const alias of this.returningRowNames(target.returningRows?.declared))
      frame.sources.push({ ...source, refKey: this.ctx.tableKey(alias), label: `"${alias}"` });
  }

  /**
   * The names RETURNING gives the old and new row: the declared ones, plus `old` and `new` on
   * PostgreSQL 18 or when the version is unknown. Before 18 `old.x` is what the server says it
   * is, a missing FROM entry; a declared alias there is a syntax error the live check reports.
   */
  private returningRowNames(declared: Name[] | undefined): string[] {
    if (!declared) return [];
    const major = postgresMajorVersion(this.ctx.snapshot.server);
    const implied = major === undefined || major >= 18 ? ['old', 'new'] : [];
    return [...declared.map((d) => d.text), ...implied];
  }

  private fromItem(item: FromItem, frame: Frame, withFrame: Frame): { ns: Namespace; sources: Source[] } {
    switch (item.kind) {
      case 'table': {
        const source = this.tableSource(item, withFrame, true);
        return { ns: namespaceOf(source), sources: [source] };
      }
      case 'derived': {
        const columns = this.query(item.query, item.lateral ? this.lateralFrame(frame) : withFrame);
        const renamed = item.columnAliases
          ? this.renamed(
              columns,
              item.columnAliases.map((a) => a.text),
            )
          : columns;
        const source: Source = {
          ...(item.alias ? { refKey: this.ctx.tableKey(item.alias.text) } : {}),
          label: item.alias ? `subquery "${item.alias.text}"` : 'a subquery',
          columns: renamed,
        };
        return { ns: namespaceOf(source), sources: [source] };
      }
      case 'opaque': {
        if (item.args) this.query(item.args, this.lateralFrame(frame));
        const source: Source = {
          ...(item.alias ? { refKey: this.ctx.tableKey(item.alias.text) } : {}),
          label: item.alias ? `"${item.alias.text}"` : 'a function',
          columns: item.knownColumns
            ? columnSet(
                item.knownColumns.map((c) => c.text),
                (s) => this.ctx.columnKey(s),
                false,
              )
            : OPEN_COLUMNS,
        };
        return { ns: namespaceOf(source), sources: [source] };
      }
      case 'join': {
        const left = this.fromItem(item.left, frame, withFrame);
        // A LATERAL right side sees the left side too.
        const rightFrame: Frame = {
          ...frame,
          sources: [...frame.sources, ...left.sources],
          nsSources: [...frame.nsSources, ...left.sources],
          ns: combine(frame.ns, left.ns, NO_MERGE),
        };
        const right = this.fromItem(item.right, rightFrame, withFrame);
        let merge: Set<string> | 'natural' = new Set();
        if (item.natural) merge = 'natural';
        else if (item.using) {
          for (const column of item.using) {
            const key = this.ctx.columnKey(column.text);
            for (const side of [left, right])
              if (column.start >= 0 && !side.ns.entries.has(key) && !side.ns.open)
                reportUnknownColumn(this, column, side.sources, 'in the USING clause');
            merge.add(key);
          }
        }
        const ns = combine(left.ns, right.ns, merge);
        const sources = [...left.sources, ...right.sources];
        if (item.on) {
          const onFrame = this.frame(withFrame);
          onFrame.sources = [...frame.sources, ...sources];
          onFrame.nsSources = sources;
          onFrame.ns = ns;
          this.query(item.on, onFrame);
        }
        if (item.alias && item.using) {
          const usingNames = item.using.map((u) => u.text);
          sources.push({
            refKey: this.ctx.tableKey(item.alias.text),
            label: `"${item.alias.text}"`,
            columns: columnSet(usingNames, (s) => this.ctx.columnKey(s), false),
          });
        }
        return { ns, sources };
      }
    }
  }

  /** What a LATERAL item (or a PG table function's arguments) sees: the FROM items before it. */
  private lateralFrame(frame: Frame): Frame {
    return { ...frame, sources: [...frame.sources], nsSources: [...frame.nsSources], outputKeys: new Set() };
  }

  private tableSource(ref: TableRef, scope: Frame, allowCte: boolean): Source {
    const nameKey = this.ctx.tableKey(ref.name.text);
    const refKey = ref.alias ? this.ctx.tableKey(ref.alias.text) : nameKey;
    const label = ref.alias ? `"${ref.name.text}" (alias "${ref.alias.text}")` : `"${ref.name.text}"`;
    const aliases = ref.columnAliases?.map((a) => a.text);
    const rename = (c: ColumnSet): ColumnSet => (aliases ? this.renamed(c, aliases) : c);
    if (!ref.schema && allowCte) {
      for (let f: Frame | undefined = scope; f; f = f.parent) {
        const entry = f.ctes.find((e) => e.key === nameKey);
        if (entry) return { refKey, label, columns: rename(entry.columns ?? OPEN_COLUMNS) };
      }
    }
    const lookup = this.ctx.lookupRelation(ref.schema, ref.name);
    if (lookup.kind === 'found') {
      const relation = lookup.relation;
      return {
        refKey,
        ...(ref.alias ? {} : { schemaKey: this.ctx.tableKey(relation.schema) }),
        label,
        relation,
        columns: rename(
          this.ctx.columnsOf(relation, () =>
            relationColumns(relation, (s) => this.ctx.columnKey(s), this.ctx.dialect === 'postgres'),
          ),
        ),
      };
    }
    if (lookup.kind !== 'unknowable') reportUnknownRelation(this, ref, lookup, scope);
    return { refKey, label, columns: OPEN_COLUMNS };
  }

  private renamed(columns: ColumnSet, aliases: string[]): ColumnSet {
    // Every column renamed: the unnamed ones (`SELECT 1`) are named now.
    if (columns.open && columns.width === aliases.length)
      return columnSet(aliases, (s) => this.ctx.columnKey(s), false);
    const names = columns.open && columns.names.length < aliases.length ? [...aliases] : [...columns.names];
    for (let i = 0; i < aliases.length && i < names.length; i++) names[i] = aliases[i];
    return columnSet(names, (s) => this.ctx.columnKey(s), columns.open);
  }

  private ref(ref: ColumnRef, frame: Frame): void {
    const parts = ref.parts;
    if (parts.some((p) => p.start < 0)) return;
    if (ref.star) {
      if (parts.length === 1) this.qualifier(parts[0], undefined, frame);
      return;
    }
    if (parts.length === 1) this.unqualified(parts[0], ref.allowOutputAlias === true, frame);
    else if (parts.length === 2) {
      const source = this.qualifier(parts[0], undefined, frame);
      if (source) this.columnOf(source, parts[1], parts.slice(0, 1));
    } else if (parts.length === 3) {
      const [schema, table, column] = parts as [Ident, Ident, Ident];
      const found = this.findSource(frame, this.ctx.tableKey(table.text), this.ctx.tableKey(schema.text));
      if (found && found !== 'unsure') this.columnOf(found, column, [schema, table]);
    }
  }

  private unqualified(name: Ident, allowOutputAlias: boolean, frame: Frame): void {
    const key = this.ctx.columnKey(name.text);
    for (let f: Frame | undefined = frame; f; f = f.parent) {
      if (f.unsure) return;
      if (allowOutputAlias && f === frame && f.outputKeys?.has(key)) return;
      const entry = f.ns.entries.get(key);
      if (entry) {
        if (entry.count > 1 && !f.ns.ambiguityUnknown) reportAmbiguous(this, name, entry.sources);
        return;
      }
      if (f.ns.open) return;
    }
    // A table's name alone is a whole-row reference.
    if (this.findSource(frame, this.ctx.tableKey(name.text), undefined)) return;
    const visible: Source[] = [];
    for (let f: Frame | undefined = frame; f; f = f.parent) visible.push(...f.nsSources);
    reportUnknownColumn(this, name, visible, undefined);
  }

  /** Finds the source a qualifier names, reporting a missing FROM entry when it is certainly missing. */
  private qualifier(q: Ident, schema: Ident | undefined, frame: Frame): Source | undefined {
    const found = this.findSource(frame, this.ctx.tableKey(q.text), schema && this.ctx.tableKey(schema.text));
    if (found === 'unsure') return undefined;
    if (found) return found;
    // `a.b` may be field `b` of a composite column `a`; only PG has that reading.
    if (this.ctx.dialect === 'postgres' && this.mightBeColumn(q, frame)) return undefined;
    reportMissingSource(this, q, frame);
    return undefined;
  }

  private mightBeColumn(name: Ident, frame: Frame): boolean {
    const key = this.ctx.columnKey(name.text);
    for (let f: Frame | undefined = frame; f; f = f.parent)
      if (f.unsure || f.ns.open || f.ns.entries.has(key)) return true;
    return false;
  }

  findSource(frame: Frame, refKey: string, schemaKey: string | undefined): Source | 'unsure' | undefined {
    for (let f: Frame | undefined = frame; f; f = f.parent) {
      if (f.unsure) return 'unsure';
      const matches = f.sources.filter(
        (s) => s.refKey === refKey && (schemaKey === undefined || s.schemaKey === schemaKey),
      );
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) return 'unsure';
    }
    return undefined;
  }

  private columnOf(source: Source, column: Ident, qualifiers: Ident[]): void {
    if (column.start < 0) return;
    const count = source.columns.counts.get(this.ctx.columnKey(column.text));
    if (count === undefined) {
      if (!source.columns.open) reportUnknownColumn(this, column, [source], undefined, qualifiers);
    } else if (count > 1) reportAmbiguous(this, column, [source, source]);
  }

  private outputs(q: Query, frame: Frame): ColumnSet {
    if (q.unsure || q.outputs === null) return OPEN_COLUMNS;
    const names: string[] = [];
    let open = false;
    let unnamed = 0;
    for (const output of q.outputs) {
      if (output.kind === 'column') {
        if (output.name) names.push(output.name.text);
        else unnamed++;
        continue;
      }
      const qualifiers = output.ref.parts;
      const star =
        qualifiers.length === 0
          ? starColumns(frame.ns, frame.nsSources, (s) => this.ctx.columnKey(s))
          : this.starOf(qualifiers, frame);
      names.push(...star.names);
      open ||= star.open;
    }
    const set = columnSet(names, (s) => this.ctx.columnKey(s), open || unnamed > 0);
    return open ? set : { ...set, width: names.length + unnamed };
  }

  private starOf(qualifiers: Ident[], frame: Frame): ColumnSet {
    const table = qualifiers[qualifiers.length - 1];
    const schema = qualifiers.length === 2 ? qualifiers[0] : undefined;
    const found = this.findSource(frame, this.ctx.tableKey(table.text), schema && this.ctx.tableKey(schema.text));
    return found && found !== 'unsure' ? found.columns : OPEN_COLUMNS;
  }

  report(f: Finding): void {
    // A name the dialect front could not place is unsure ground: say nothing rather than point nowhere.
    if (f.start < 0) return;
    this.findings.push(withUncertainty(f, this.ctx.snapshot));
  }
}

export type { Resolver };
