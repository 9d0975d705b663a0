import { setOperationProblems, valueCountProblem } from './countChecks';
import type { ServerFacts } from '../../schema/snapshot';
import { finding } from '../findings';
import type { DialectFront, FrontResult } from '../front';
import type { StatementSpan } from '../splitStatements';
import { attachJsonTables } from './jsonTable';
import { IdentifierLocator } from './locate';
import { markNaturalJoins, readableText } from './parserGaps';
import { certainSyntaxProblem } from './syntaxCertainty';
import { MysqlModelBuilder } from './toModel';
import { foreignSyntax, type ServerDialect } from './foreignSyntax';
import { functionCalls, functionEffect } from './functionCalls';
import { tokenizeMysql, type RunsComment, type Token, type Tokenized } from './tokenize';

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
  /** The server's version string (`10.11.19-MariaDB`): what MariaDB 10 lacks, 11 may have. */
  version?: string;
  sqlMode?: string;
}

/** A front for the server described by `options` (both grammars are always tried). */
export function createMysqlFront(options: MysqlFrontOptions = {}): DialectFront {
  const mariadb = options.product === 'mariadb';
  const major = Number(/^(\d+)\./.exec(options.version ?? '')?.[1]);
  const server: ServerDialect = { mariadb, ...(major > 0 ? { major } : {}) };
  const dialects: ParserDialect[] = mariadb ? ['mariadb', 'mysql'] : ['mysql', 'mariadb'];
  const modes = (options.sqlMode ?? '').toUpperCase().split(',');
  const lexing = {
    ansiQuotes: modes.includes('ANSI_QUOTES'),
    noBackslashEscapes: modes.includes('NO_BACKSLASH_ESCAPES'),
    runsComment: executableComments(options),
  };
  return {
    ready: loadParsers,
    parse: (span: StatementSpan): FrontResult => {
      const { tokens, error, commentMarkers, versionDependent } = tokenizeMysql(span.text, lexing);
      if (error) {
        const what = error.what === 'identifier' ? 'quoted identifier' : error.what;
        return syntaxError(span.start + error.start, span.start + error.end, `This ${what} is never closed.`);
      }
      const result: FrontResult = versionDependent
        ? { kind: 'not-checked', reason: 'a versioned comment (/*!NNNNN … */) runs on some server versions only' }
        : parseTokens(span, tokens, commentMarkers);
      const effect = functionEffect(tokens);
      if (!effect) return result;
      // CREATE FUNCTION is beyond node-sql-parser: its name reaches later calls whatever the verdict.
      if (result.kind !== 'parsed') return { ...result, effect };
      return { ...result, model: { ...result.model, effect: { ...effect, ...result.model.effect } } };
    },
  };

  function parseTokens(span: StatementSpan, tokens: Token[], commentMarkers: Tokenized['commentMarkers']): FrontResult {
    const foreign = foreignSyntax(tokens, server);
    if (foreign) return syntaxError(span.start + foreign.start, span.start + foreign.end, foreign.message);
    const readable = readableText(span.text, tokens, commentMarkers);
    const parsed = astify(readable.text, dialects);
    if (!parsed.ok) {
      const parsesWith = (token: Token, keyword: string): boolean =>
        astify(readable.text.slice(0, token.start) + keyword + readable.text.slice(token.end), dialects).ok;
      const problem =
        parsed.failedAt === undefined ? undefined : certainSyntaxProblem(tokens, parsed.failedAt, parsesWith);
      if (problem)
        return syntaxError(span.start + problem.start, span.start + problem.end, problem.message, problem.suggestions);
      const count = valueCountProblem(parsed.reason, tokens, span.start);
      if (count) return { kind: 'syntax-error', findings: [count] };
      return { kind: 'not-checked', reason: `the MySQL parser could not follow this statement (${parsed.reason})` };
    }
    const locator = new IdentifierLocator(tokens, span.start);
    if (readable.naturalJoins) markNaturalJoins(parsed.ast);
    const model = new MysqlModelBuilder(locator).statement(parsed.ast);
    attachJsonTables(model, readable.jsonTables, span.start, (call) => {
      // The arguments alone, at their own offsets, as a select list.
      const args = astify('SELECT'.padEnd(call.argsStart) + span.text.slice(call.argsStart, call.argsEnd), dialects);
      return args.ok ? new MysqlModelBuilder(locator).statement(args.ast).query : undefined;
    });
    const calls = functionCalls(parsed.ast, tokens, span.start);
    if (calls.length > 0) model.calls = calls;
    const findings = setOperationProblems(parsed.ast, span.text, span.start);
    return findings.length > 0 ? { kind: 'parsed', model, findings } : { kind: 'parsed', model };
  }
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
 * Which executable comments the server runs, as MariaDB 10.11 and MySQL 8 do: `/*! …` always;
 * `/*!NNNNN` (MySQL's version number) below 5.7 on both, else on a MySQL of that version or later;
 * `/*!NNNNNN` and MariaDB's `/*M!NNNNNN` on a server of that version or later.
 */
function executableComments(options: MysqlFrontOptions): RunsComment {
  const [major, minor, patch] = (/^(\d+)\.(\d+)\.(\d+)/.exec(options.version ?? '') ?? []).slice(1).map(Number);
  const serverId = major === undefined ? undefined : major * 10000 + minor * 100 + patch;
  const mariadb = options.product === 'mariadb';
  const mysql = options.product === 'mysql';
  return (version, mariadbOnly) => {
    if (mariadbOnly && mysql) return false;
    if (version === undefined) return mariadbOnly ? mariadb || undefined : true;
    if (version < 50700) return mariadbOnly ? (mariadb ? true : undefined) : true;
    if (version < 100000 && mariadb && !mariadbOnly) return false;
    return serverId === undefined || (!mariadb && !mysql) ? undefined : version <= serverId;
  };
}

function syntaxError(start: number, end: number, message: string, suggestions: string[] = []): FrontResult {
  return {
    kind: 'syntax-error',
    findings: [finding('syntax-error', start, Math.max(end, start + 1), message, suggestions)],
  };
}

/** The front for a MySQL server of unknown flavour. */
export const mysqlFront: DialectFront = createMysqlFront();
