/**
 * How converted builder code replaces a query call in the host language, without changing what the
 * call receives: the builder is compiled into a constant declared just before the statement, and
 * the call is handed that statement's text and values (node-postgres/mysql2 `query(text, values)`,
 * DB-API `execute(sql, params)`). The rest of the user's statement is kept as it was.
 */
import type { Dialect } from '../schema/snapshot';
import type { BuilderTarget, ImportNeed } from './builderTarget';
import type { CallSite } from './callSite/callSite';

interface TargetForm {
  variable: string;
  declare(name: string, builder: string, dialect: Dialect): string;
  /** The compiled statement's text and values, as the call takes them. */
  sqlText(name: string): string;
  values(name: string): string;
  imports(dialect: Dialect): ImportNeed[];
}

const FORMS: Record<BuilderTarget, TargetForm> = {
  kysely: {
    variable: 'compiledQuery',
    declare: (name, builder) => `const ${name} = ${builder}\n  .compile();`,
    sqlText: (name) => `${name}.sql`,
    values: (name) => `[...${name}.parameters]`,
    imports: () => [],
  },
  knex: {
    variable: 'compiledQuery',
    declare: (name, builder) => `const ${name} = ${builder}\n  .toSQL()\n  .toNative();`,
    sqlText: (name) => `${name}.sql`,
    values: (name) => `[...${name}.bindings]`,
    imports: () => [],
  },
  sqlalchemy: {
    variable: 'compiled_query',
    // pyformat (`%(name)s` with a dict) is what psycopg2 and PyMySQL both take. render_postcompile
    // writes expanding parameters (IN lists) out as `%(x_1)s, %(x_2)s`; plain str() would leave
    // `__[POSTCOMPILE_x]` in the text, which no database reads.
    declare: (name, builder, dialect) =>
      `${name} = ${parenthesised(builder)}.compile(\n    dialect=${dialectModule(dialect)}.dialect(paramstyle="pyformat"),\n    compile_kwargs={"render_postcompile": True},\n)`,
    sqlText: (name) => `str(${name})`,
    values: (name) => `${name}.params`,
    imports: (dialect) => [{ module: 'sqlalchemy.dialects', name: dialectModule(dialect) }],
  },
};

/** A Python expression that may span lines, in parentheses once: `(select(…)\n.where(…))`. */
function parenthesised(code: string): string {
  return enclosedInParentheses(code) ? code : `(\n    ${code.replace(/\n/g, '\n    ')}\n)`;
}

/** True when the first `(` closes at the very end (strings skipped). */
function enclosedInParentheses(code: string): boolean {
  if (!code.startsWith('(')) return false;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const char = code[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i === code.length - 1;
  }
  return false;
}

function dialectModule(dialect: Dialect): string {
  return dialect === 'mysql' ? 'mysql' : 'postgresql';
}

export interface CallRewrite {
  /**
   * The replacement of `[statement start, last argument end)`, after the removal of the SQL
   * variable's declaration when there is one: two ranges, so that the code between them is no
   * part of the migration (a rollback restores both, and the user may edit between them).
   */
  ranges: { start: number; end: number; newText: string }[];
  imports: ImportNeed[];
}

/** The edits that run the builder's statement through the call instead of the SQL string. */
export function rewriteCall(
  text: string,
  site: CallSite,
  target: BuilderTarget,
  builder: { code: string; imports: ImportNeed[] },
  dialect: Dialect,
  usedNames: Set<string>,
): CallRewrite {
  const form = FORMS[target];
  const name = freshName(form.variable, text, usedNames);
  const declaration = form.declare(name, builder.code, dialect).replace(/\n/g, `\n${site.indentation}`);
  const callArguments = site.configKey
    ? `{ ${site.configKey}: ${form.sqlText(name)}, values: ${form.values(name)} }`
    : `${form.sqlText(name)}, ${form.values(name)}`;
  const call = {
    start: site.statementStart,
    end: site.argumentsEnd,
    newText: `${declaration}\n${site.indentation}${text.slice(site.statementStart, site.argumentsStart)}${callArguments}`,
  };
  return {
    ranges: site.sqlAssignment ? [{ ...site.sqlAssignment, newText: '' }, call] : [call],
    imports: [...builder.imports, ...form.imports(dialect)],
  };
}

function freshName(base: string, text: string, used: Set<string>): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}${n}`;
    if (!used.has(name) && !new RegExp(`\\b${name}\\b`).test(text)) {
      used.add(name);
      return name;
    }
  }
}

/**
 * Import lines for what is not bound yet, in the host language, sorted for a stable result. A
 * need without a module is a whole Python module (`import db_schema`).
 */
export function importLines(needs: ImportNeed[], bound: Set<string>, python: boolean): string {
  const byModule = new Map<string, Set<string>>();
  for (const { module, name } of needs) {
    if (bound.has(name.split('.')[0])) continue;
    byModule.set(module, (byModule.get(module) ?? new Set()).add(name));
  }
  return [...byModule]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, names]) => {
      const list = [...names].sort().join(', ');
      if (module === '') return [...names].map((name) => `import ${name}\n`).join('');
      return python ? `from ${module} import ${list}\n` : `import { ${list} } from '${module}';\n`;
    })
    .join('');
}
