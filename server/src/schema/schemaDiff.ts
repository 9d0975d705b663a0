import type { Column, Relation, RelationKind, SchemaSnapshot } from './snapshot';

/**
 * What changed between two snapshots of one connection, in terms a user reads and later issues
 * act on (re-validate what referenced a dropped column, offer the new name of a renamed one).
 */

export type SchemaObjectKind =
  | 'schema'
  | RelationKind
  | 'column'
  | 'primary-key'
  | 'unique-constraint'
  | 'foreign-key'
  | 'index'
  | 'enum'
  | 'domain'
  | 'routine';

/** Where an object lives: `relation` is set for columns, keys and indexes. */
export interface ObjectPath {
  schema: string;
  relation?: string;
  name: string;
}

export type ChangeAspect =
  'kind' | 'type' | 'nullability' | 'default' | 'comment' | 'definition' | 'columns' | 'values';

export type SchemaChange =
  | { action: 'added' | 'dropped'; object: SchemaObjectKind; path: ObjectPath; detail?: string }
  /**
   * A likely rename: one object dropped and one added that match (columns: same type and
   * position; relations: same kind and columns). `path` is the new name, `from` the old one.
   */
  | { action: 'renamed'; object: SchemaObjectKind; path: ObjectPath; from: string }
  | {
      action: 'changed';
      object: SchemaObjectKind;
      path: ObjectPath;
      aspect: ChangeAspect;
      before: string;
      after: string;
    };

export interface SchemaDiff {
  changes: SchemaChange[];
}

/** Compares two snapshots; an empty `changes` list means nothing a user could notice changed. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDiff {
  const changes: SchemaChange[] = [];
  diffNamed(
    before.schemas.map((s) => ({ schema: s.name, name: s.name, comment: s.comment })),
    after.schemas.map((s) => ({ schema: s.name, name: s.name, comment: s.comment })),
    'schema',
    changes,
    (a, b, path) => compareAspect(changes, 'schema', path, 'comment', a.comment ?? '', b.comment ?? ''),
    () => ({}),
  );
  diffRelations(before.relations, after.relations, changes);
  diffNamed(before.enums, after.enums, 'enum', changes, (a, b, path) =>
    compareAspect(changes, 'enum', path, 'values', a.values.join(', '), b.values.join(', ')),
  );
  diffNamed(before.domains, after.domains, 'domain', changes, (a, b, path) =>
    compareAspect(changes, 'domain', path, 'definition', describeDomain(a), describeDomain(b)),
  );
  diffNamed(
    before.routines.map((r) => ({ ...r, key: r.kind })),
    after.routines.map((r) => ({ ...r, key: r.kind })),
    'routine',
    changes,
    () => undefined,
  );
  return { changes };
}

/** One line for a user: `changed column public.orders.total: type numeric(10,2) → numeric(12,2)`. */
export function describeChange(change: SchemaChange): string {
  const what = `${change.object} ${qualified(change.path)}`;
  switch (change.action) {
    case 'added':
    case 'dropped':
      return `${change.action} ${what}${change.detail ? ` (${change.detail})` : ''}`;
    case 'renamed':
      return `renamed ${change.object} ${qualified({ ...change.path, name: change.from })} → ${change.path.name} (likely)`;
    case 'changed':
      return `changed ${what}: ${change.aspect} ${change.before || '(none)'} → ${change.after || '(none)'}`;
  }
}

export function qualified(path: ObjectPath): string {
  return path.relation === undefined
    ? path.schema === path.name
      ? path.name
      : `${path.schema}.${path.name}`
    : `${path.schema}.${path.relation}.${path.name}`;
}

function diffRelations(before: Relation[], after: Relation[], changes: SchemaChange[]): void {
  const key = (r: Relation) => `${r.schema}\u0000${r.name}`;
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const dropped = before.filter((r) => !now.has(key(r)));
  const added = after.filter((r) => !old.has(key(r)));
  const renamed = pairRenames(dropped, added, (r) => `${r.schema}\u0000${r.kind}\u0000${columnSignature(r.columns)}`);
  for (const r of dropped) {
    const to = renamed.get(r);
    if (to) {
      changes.push({ action: 'renamed', object: to.kind, path: { schema: to.schema, name: to.name }, from: r.name });
      diffRelation(r, to, changes);
    } else changes.push({ action: 'dropped', object: r.kind, path: { schema: r.schema, name: r.name } });
  }
  const renamedTargets = new Set(renamed.values());
  for (const r of added)
    if (!renamedTargets.has(r))
      changes.push({ action: 'added', object: r.kind, path: { schema: r.schema, name: r.name } });
  for (const r of after) {
    const previous = old.get(key(r));
    if (previous) diffRelation(previous, r, changes);
  }
}

function diffRelation(a: Relation, b: Relation, changes: SchemaChange[]): void {
  const path = { schema: b.schema, name: b.name };
  compareAspect(changes, b.kind, path, 'kind', a.kind, b.kind);
  compareAspect(changes, b.kind, path, 'comment', a.comment ?? '', b.comment ?? '');
  compareAspect(changes, b.kind, path, 'definition', a.viewDefinition ?? '', b.viewDefinition ?? '');
  diffColumns(a, b, changes);
  const inRelation = (name: string): ObjectPath => ({ schema: b.schema, relation: b.name, name });
  const pk = (r: Relation) => r.primaryKey?.columns.join(', ') ?? '';
  if (!a.primaryKey && b.primaryKey)
    changes.push({ action: 'added', object: 'primary-key', path: inRelation(b.primaryKey.name), detail: pk(b) });
  else if (a.primaryKey && !b.primaryKey)
    changes.push({ action: 'dropped', object: 'primary-key', path: inRelation(a.primaryKey.name), detail: pk(a) });
  else if (a.primaryKey && b.primaryKey)
    compareAspect(changes, 'primary-key', inRelation(b.primaryKey.name), 'columns', pk(a), pk(b));
  const keyText = (k: { columns: (string | null)[] }) => k.columns.map((c) => c ?? '(expression)').join(', ');
  const nested = <T extends { name: string }>(
    object: SchemaObjectKind,
    left: T[],
    right: T[],
    text: (item: T) => string,
  ) =>
    diffNamed(
      left.map((item) => ({ ...item, schema: b.schema })),
      right.map((item) => ({ ...item, schema: b.schema })),
      object,
      changes,
      (x, y, p) => compareAspect(changes, object, p, 'definition', text(x), text(y)),
      (item) => ({ relation: b.name, detail: text(item) }),
    );
  nested('unique-constraint', a.uniqueConstraints, b.uniqueConstraints, keyText);
  nested(
    'foreign-key',
    a.foreignKeys,
    b.foreignKeys,
    (fk) =>
      `(${fk.columns.join(', ')}) → ${fk.referencedSchema}.${fk.referencedTable} (${fk.referencedColumns.join(', ')})` +
      ` ON UPDATE ${fk.onUpdate} ON DELETE ${fk.onDelete}`,
  );
  nested(
    'index',
    a.indexes,
    b.indexes,
    (ix) => ix.definition ?? [ix.unique ? 'unique' : '', ix.method ?? '', `(${keyText(ix)})`].filter(Boolean).join(' '),
  );
}

function diffColumns(a: Relation, b: Relation, changes: SchemaChange[]): void {
  const old = new Map(a.columns.map((c) => [c.name, c]));
  const now = new Map(b.columns.map((c) => [c.name, c]));
  const path = (name: string): ObjectPath => ({ schema: b.schema, relation: b.name, name });
  const dropped = a.columns.filter((c) => !now.has(c.name));
  const added = b.columns.filter((c) => !old.has(c.name));
  const renamed = pairRenames(dropped, added, (c) => `${c.position}\u0000${c.type}`);
  for (const c of dropped) {
    const to = renamed.get(c);
    if (to) {
      changes.push({ action: 'renamed', object: 'column', path: path(to.name), from: c.name });
      compareColumn(c, to, path(to.name), changes);
    } else changes.push({ action: 'dropped', object: 'column', path: path(c.name), detail: c.type });
  }
  const renamedTargets = new Set(renamed.values());
  for (const c of added)
    if (!renamedTargets.has(c)) changes.push({ action: 'added', object: 'column', path: path(c.name), detail: c.type });
  for (const c of b.columns) {
    const previous = old.get(c.name);
    if (previous) compareColumn(previous, c, path(c.name), changes);
  }
}

function compareColumn(a: Column, b: Column, path: ObjectPath, changes: SchemaChange[]): void {
  const nullability = (c: Column) => (c.nullable ? 'NULL' : 'NOT NULL');
  compareAspect(changes, 'column', path, 'type', a.type, b.type);
  compareAspect(changes, 'column', path, 'nullability', nullability(a), nullability(b));
  compareAspect(changes, 'column', path, 'default', a.default ?? '', b.default ?? '');
  compareAspect(changes, 'column', path, 'comment', a.comment ?? '', b.comment ?? '');
}

/**
 * Pairs dropped with added items that share a signature, only where the pairing is unambiguous
 * (exactly one of each): a guess between several candidates would mislead more than help.
 */
function pairRenames<T>(dropped: T[], added: T[], signature: (item: T) => string): Map<T, T> {
  const group = (items: T[]) => {
    const bySignature = new Map<string, T[]>();
    for (const item of items) bySignature.set(signature(item), [...(bySignature.get(signature(item)) ?? []), item]);
    return bySignature;
  };
  const addedBySignature = group(added);
  const pairs = new Map<T, T>();
  for (const [sig, olds] of group(dropped)) {
    const news = addedBySignature.get(sig);
    if (olds.length === 1 && news?.length === 1) pairs.set(olds[0], news[0]);
  }
  return pairs;
}

/** Added/dropped by name (plus `key`, for routines of one name and several kinds); `compare` for the rest. */
function diffNamed<T extends { schema: string; name: string; key?: string }>(
  before: T[],
  after: T[],
  object: SchemaObjectKind,
  changes: SchemaChange[],
  compare: (a: T, b: T, path: ObjectPath) => void,
  extra: (item: T) => { relation?: string; detail?: string } = () => ({}),
): void {
  const id = (item: T) => `${item.schema}\u0000${item.name}\u0000${item.key ?? ''}`;
  const old = new Map(before.map((item) => [id(item), item]));
  const now = new Map(after.map((item) => [id(item), item]));
  const pathOf = (item: T): { path: ObjectPath; detail?: string } => {
    const { relation, detail } = extra(item);
    return { path: { schema: item.schema, name: item.name, ...(relation ? { relation } : {}) }, detail };
  };
  for (const item of before)
    if (!now.has(id(item))) changes.push({ action: 'dropped', object, ...withoutEmpty(pathOf(item)) });
  for (const item of after) {
    const previous = old.get(id(item));
    if (!previous) changes.push({ action: 'added', object, ...withoutEmpty(pathOf(item)) });
    else compare(previous, item, pathOf(item).path);
  }
}

function withoutEmpty(value: { path: ObjectPath; detail?: string }): { path: ObjectPath; detail?: string } {
  return value.detail ? value : { path: value.path };
}

function compareAspect(
  changes: SchemaChange[],
  object: SchemaObjectKind,
  path: ObjectPath,
  aspect: ChangeAspect,
  before: string,
  after: string,
): void {
  if (before !== after) changes.push({ action: 'changed', object, path, aspect, before, after });
}

function columnSignature(columns: Column[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).join(',');
}

function describeDomain(d: SchemaSnapshot['domains'][number]): string {
  return [d.baseType, d.nullable ? '' : 'NOT NULL', d.default ? `DEFAULT ${d.default}` : '', ...d.checks]
    .filter(Boolean)
    .join(' ');
}
