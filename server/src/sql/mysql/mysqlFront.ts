import { setOperationProblems, valueCountProblem } from './countChecks';
import type { ServerFacts } from '../../schema/snapshot';
import { finding } from '../findings';
import type { DialectFront, FrontResult } from '../front';
import type { StatementSpan } from '../splitStatements';
import { IdentifierLocator } from './locate';
import { certainSyntaxProblem } from './syntaxCertainty';
import { MysqlModelBuilder } from './toModel';
import { isKeyword, tokenizeMysql, type Token } from './tokenize';

/**
 * The MySQL/MariaDB front: node-sql-parser for syntax and the AST, this folder's lexer for
 * identifier ranges. node-sql-parser's two grammars each miss constructs the other has (its
 * `mariadb` grammar reserves `status`, its `mysql` one lacks some MariaDB syntax), so a statement
 * is tried in the server's grammar first and then in the other; only when both fail and the
 * mistake is certain is it a syntax error, otherwise the statement is "not checked".
 */

type ParserDialect = 'mysql' | 'mariadb';

type Parser = InstanceType<(typeof import('node-sql-parser/build/mysql'))['Parser']>;
let parsers: Record<ParserDialect, Parser> | undefined;

/**
 * One single-grammar build each (together a fifth of the all-dialect build), loaded when the first
 * MySQL statement is checked: a PostgreSQL project never compiles them.
 */
async function loadParsers(): Promise<void> {
  const [mysqlGrammar, mariadbGrammar] = (
    await Promise.all([import('node-sql-parser/build/mysql'), import('node-sql-parser/build/mariadb')])
  ).map(commonJsExports);
  parsers ??= { mysql: new mysqlGrammar.Parser(), mariadb: new mariadbGrammar.Parser() };
}

/** Options a front needs from the server it checks against. */
export interface MysqlFrontOptions {
  /** `mariadb` tries MariaDB's grammar first and knows what MariaDB lacks (LATERAL). */
  product?: ServerFacts['product'];
  sqlMode?: string;
}

/** A front for the server described by `options` (both grammars are always tried). */
export function createMysqlFront(options: MysqlFrontOptions = {}): DialectFront {
  const mariadb = options.product === 'mariadb';
  const dialects: ParserDialect[] = mariadb ? ['mariadb', 'mysql'] : ['mysql', 'mariadb'];
  const modes = (options.sqlMode ?? '').toUpperCase().split(',');
  const lexing = {
    ansiQuotes: modes.includes('ANSI_QUOTES'),
    noBackslashEscapes: modes.includes('NO_BACKSLASH_ESCAPES'),
  };
  return {
    ready: loadParsers,
    parse: (span: StatementSpan): FrontResult => {
      const { tokens, error } = tokenizeMysql(span.text, lexing);
      if (error) {
        const what = error.what === 'identifier' ? 'quoted identifier' : error.what;
        return syntaxError(span.start + error.start, span.start + error.end, `This ${what} is never closed.`);
      }
      const parsed = astify(span.text, dialects);
      if (!parsed.ok) {
        const problem = parsed.failedAt === undefined ? undefined : certainSyntaxProblem(tokens, parsed.failedAt);
        if (problem)
          return syntaxError(
            span.start + problem.start,
            span.start + problem.end,
            problem.message,
            problem.suggestions,
          );
        const count = valueCountProblem(parsed.reason, tokens, span.start);
        if (count) return { kind: 'syntax-error', findings: [count] };
        return { kind: 'not-checked', reason: `the MySQL parser could not follow this statement (${parsed.reason})` };
      }
      const missing = mariadb ? mysqlOnlySyntax(tokens) : undefined;
      if (missing)
        return syntaxError(span.start + missing.token.start, span.start + missing.token.end, missing.message);
      const locator = new IdentifierLocator(tokens, span.start);
      const model = new MysqlModelBuilder(locator).statement(parsed.ast);
      const findings = setOperationProblems(parsed.ast, span.text, span.start);
      return findings.length > 0 ? { kind: 'parsed', model, findings } : { kind: 'parsed', model };
    },
  };
}

/** A CommonJS module's exports: `import()` in the bundle hands them over as `default` only, tsx as names only. */
function commonJsExports<T>(loaded: T): T {
  return (loaded as { default?: T }).default ?? loaded;
}

type Astified =
  { ok: true; ast: Record<string, unknown> } | { ok: false; failedAt: number | undefined; reason: string };

/** The AST from the first grammar that accepts the statement, or where the furthest-going one stopped. */
function astify(text: string, dialects: ParserDialect[]): Astified {
  let failedAt: number | undefined;
  let reason = '';
  for (const database of dialects) {
    try {
      // `ready()` loaded them before the first statement.
      const ast = parsers![database].astify(text, { database, parseOptions: { includeLocations: true } });
      const statements = Array.isArray(ast) ? ast : [ast];
      if (statements.length === 1 && typeof statements[0] === 'object') {
        return { ok: true, ast: statements[0] as unknown as Record<string, unknown> };
      }
      return { ok: false, failedAt: undefined, reason: 'it reads as several statements' };
    } catch (error) {
      const offset = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset;
      if (typeof offset === 'number' && (failedAt === undefined || offset > failedAt)) failedAt = offset;
      // Errors without a location are the parser's own semantic checks (reserved aliases, …).
      reason ||= (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 160);
    }
  }
  return { ok: false, failedAt, reason };
}

/**
 * MySQL 8 syntax that node-sql-parser accepts but MariaDB does not have: `, LATERAL (` /
 * `JOIN LATERAL (` and the JSON operators `->` / `->>`.
 */
function mysqlOnlySyntax(tokens: Token[]): { token: Token; message: string } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const previous = tokens[i - 1];
    if (
      isKeyword(token, 'LATERAL') &&
      tokens[i + 1]?.value === '(' &&
      (previous?.value === ',' || isKeyword(previous, 'JOIN'))
    ) {
      return {
        token,
        message: 'MariaDB has no LATERAL derived tables (MySQL 8.0.14+ has); use a correlated subquery or a join.',
      };
    }
    if (token.kind === 'punct' && (token.value === '->' || token.value === '->>')) {
      const call = token.value === '->' ? 'JSON_EXTRACT(col, path)' : 'JSON_UNQUOTE(JSON_EXTRACT(col, path))';
      return { token, message: `MariaDB has no \`${token.value}\` operator (MySQL has); use ${call}.` };
    }
  }
  return undefined;
}

function syntaxError(start: number, end: number, message: string, suggestions: string[] = []): FrontResult {
  return {
    kind: 'syntax-error',
    findings: [finding('syntax-error', start, Math.max(end, start + 1), message, suggestions)],
  };
}

/** The front for a MySQL server of unknown flavour. */
export const mysqlFront: DialectFront = createMysqlFront();
