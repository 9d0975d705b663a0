/**
 * One parsed PostgreSQL statement → `StatementModel`: the query to resolve (for DML, EXPLAIN,
 * CREATE VIEW / TABLE AS, DECLARE, PREPARE) and what it changes for later statements of a script.
 */
import type { Name, SchemaEffect, StatementModel } from '../model';
import { translateQueryNode } from './translateQuery';
import { list, str, unwrap, type Node, type TranslateContext } from './translateContext';

const QUERY_KINDS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

export function translateStatement(node: Node, ctx: TranslateContext): StatementModel {
  const entry = unwrap(node);
  if (!entry) return {};
  const [kind, n] = entry;
  if (QUERY_KINDS.has(kind)) {
    const model: StatementModel = { query: translateQueryNode(node, ctx) };
    const into = (n.intoClause as Node | undefined)?.rel as Node | undefined;
    if (into) model.effect = touching([into]);
    return model;
  }
  switch (kind) {
    case 'ExplainStmt':
    case 'DeclareCursorStmt':
    case 'PrepareStmt':
      return QUERY_KINDS.has(unwrap(n.query)?.[0] ?? '') ? { query: translateQueryNode(n.query, ctx) } : {};
    case 'CopyStmt':
      // `COPY t (a, b) FROM …` reads or writes the table: its name is checked like a FROM item.
      if (n.query) return { query: translateQueryNode(n.query, ctx) };
      return n.relation
        ? { query: translateQueryNode({ SelectStmt: { fromClause: [{ RangeVar: n.relation }] } }, ctx) }
        : {};
    case 'ViewStmt':
      return { query: translateQueryNode(n.query, ctx), effect: touching([n.view as Node]) };
    case 'CreateTableAsStmt': {
      const rel = (n.into as Node | undefined)?.rel as Node | undefined;
      const effect = touching(rel ? [rel] : []);
      return QUERY_KINDS.has(unwrap(n.query)?.[0] ?? '')
        ? { query: translateQueryNode(n.query, ctx), effect }
        : { effect };
    }
    case 'CreateStmt':
    case 'AlterTableStmt':
    case 'CreateForeignTableStmt':
    case 'RenameStmt':
    case 'RefreshMatViewStmt': {
      const rel = (n.relation ?? (n.base as Node | undefined)?.relation) as Node | undefined;
      const effect = touching(rel ? [rel] : []);
      if (kind === 'RenameStmt' && typeof n.newname === 'string') {
        effect.touchedRelations.push({ ...schemaOf(rel), name: plain(n.newname) });
        effect.createdRoutines = [plain(n.newname)];
      }
      return { effect };
    }
    case 'CreateFunctionStmt':
    case 'DefineStmt':
    case 'CreateEnumStmt':
    case 'AlterEnumStmt':
    case 'CreateRangeStmt':
    case 'CreateDomainStmt':
    case 'CompositeTypeStmt': {
      // A type is callable too: `mytype('…')` is a cast. A domain's `typeName` is its base type.
      const names = n.funcname ?? n.defnames ?? n.domainname ?? n.typeName;
      const created = str(list(names).at(-1)) ?? (n.typevar as Node | undefined)?.relname;
      if (typeof created !== 'string') return { effect: touching([]) };
      const callable = kind === 'CreateRangeStmt' ? [created, multirangeName(created, n.params)] : [created];
      return { effect: { ...touching([]), createdRoutines: callable.map(plain) } };
    }
    case 'CreateExtensionStmt':
    case 'DoStmt':
    case 'CreatePLangStmt':
    case 'ImportForeignSchemaStmt':
      return { effect: { ...touching([]), routinesUnknowable: true } };
    case 'CreateSchemaStmt': {
      const effect = touching([]);
      if (typeof n.schemaname === 'string') effect.createdSchemas.push(plain(n.schemaname));
      return { effect };
    }
    case 'VariableSetStmt':
      return n.name === 'search_path' && n.kind === 'VAR_SET_VALUE'
        ? { effect: { ...touching([]), searchPath: searchPath(n.args) } }
        : {};
    default:
      return {};
  }
}

/** The multirange type (and constructor) PostgreSQL creates with a range type (makeMultirangeTypeName). */
function multirangeName(range: string, params: unknown): string {
  for (const param of list(params)) {
    const def = unwrap(param)?.[1];
    if (def?.defname !== 'multirange_type_name') continue;
    const value = unwrap(def.arg);
    const name = value?.[0] === 'TypeName' ? str(list(value[1].names).at(-1)) : undefined;
    if (name) return name;
  }
  return range.includes('range') ? range.replace('range', 'multirange') : `${range}_multirange`;
}

function plain(text: string): Name {
  return { text, quoted: false };
}

function schemaOf(rel: Node | undefined): { schema?: Name } {
  return typeof rel?.schemaname === 'string' ? { schema: plain(rel.schemaname) } : {};
}

function touching(relations: Node[]): SchemaEffect {
  return {
    touchedRelations: relations
      .filter((r) => typeof r.relname === 'string')
      .map((r) => ({ ...schemaOf(r), name: plain(r.relname as string) })),
    createdSchemas: [],
  };
}

/** `SET search_path = a, "B", 'c'`: string values are identifier lists themselves. */
function searchPath(args: unknown): string[] {
  const out: string[] = [];
  for (const arg of list(args)) {
    const constant = unwrap(arg)?.[1];
    const value = str(constant?.sval ? { String: constant.sval } : undefined);
    if (value === undefined) continue;
    for (const part of value.split(',')) {
      const t = part.trim();
      if (t === '' || t === '$user') continue;
      out.push(t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase());
    }
  }
  return out;
}
