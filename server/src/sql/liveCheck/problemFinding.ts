import type { PrepareProblem } from '../../db/driver';
import type { Dialect } from '../../schema/snapshot';
import { finding, type Finding, type FindingCode } from '../findings';

/**
 * Turns the server's objection to a PREPAREd statement into a finding on the best range: PG's
 * `position`, else the name its message quotes, else the text MySQL says the error is "near",
 * else the statement's first line.
 */

const PG_CODES: Record<string, FindingCode> = {
  '42P01': 'unknown-table',
  '42703': 'unknown-column',
  '42702': 'ambiguous-column',
  '3F000': 'unknown-schema',
  '42601': 'syntax-error',
};
const MYSQL_CODES: Record<string, FindingCode> = {
  '1146': 'unknown-table',
  '1049': 'unknown-schema',
  '1054': 'unknown-column',
  '1052': 'ambiguous-column',
  '1064': 'syntax-error',
  '1305': 'unknown-function',
};
/** Objections about the placeholders, whose types only the application knows: no verdict on the SQL. */
const PG_PARAMETER_CODES = new Set(['42P18', '42P02', '42P08']);

/**
 * Whether PostgreSQL objects only because the placeholders have no type yet: `$1 + $2` is "operator
 * is not unique: unknown + unknown" when prepared untyped, and runs once the application's values
 * give the types (psycopg2 even inlines them). No verdict on the SQL.
 */
function isAboutParameterTypes(problem: PrepareProblem, text: string): boolean {
  if (PG_PARAMETER_CODES.has(problem.code)) return true;
  return problem.code === '42725' && /\bunknown\b/.test(problem.message) && /\$\d/.test(text);
}

/** `statement` is the checked text and its offset in the document. */
export function problemFinding(
  problem: PrepareProblem,
  statement: { start: number; text: string },
  dialect: Dialect,
): Finding | undefined {
  if (dialect === 'postgres' && isAboutParameterTypes(problem, statement.text)) return undefined;
  if (problem.unjudged) {
    const firstLine = statement.text.search(/\r?\n|$/);
    const reason = `the database did not judge it: ${problem.message}, and Live Schema never opens one`;
    return finding(
      'not-checked',
      statement.start,
      statement.start + Math.max(1, firstLine),
      `Not checked: ${reason}.`,
      [],
      {
        reason,
        live: true,
      },
    );
  }
  // 42883 is also "operator does not exist": only a function's is an unknown function.
  const code =
    dialect === 'postgres' && problem.code === '42883' && /^function /.test(problem.message)
      ? 'unknown-function'
      : ((dialect === 'postgres' ? PG_CODES : MYSQL_CODES)[problem.code] ?? 'database-error');
  const range = rangeOf(problem, statement.text, dialect);
  const label = dialect === 'postgres' ? `SQLSTATE ${problem.code}` : `error ${problem.code}`;
  return finding(
    code,
    statement.start + range.start,
    statement.start + range.end,
    `The database rejects this statement (${label}): ${problem.message}`,
    [],
    {
      live: true,
      serverCode: problem.code,
      names: namesOf(problem, statement.text.slice(range.start, range.end), dialect),
    },
  );
}

/** The names the objection is about, as `ignoredNames` settings match them: the flagged text unquoted, the name the server quotes. */
function namesOf(problem: PrepareProblem, flagged: string, dialect: Dialect): string[] {
  const named = namedIdentifier(problem.message, dialect);
  const names = [flagged.replace(/^[`"](.*)[`"]$/s, '$1')];
  if (named) names.push(named.name, ...(named.qualifier ? [`${named.qualifier}.${named.name}`] : []));
  return [...new Set(names)];
}

function rangeOf(problem: PrepareProblem, text: string, dialect: Dialect): { start: number; end: number } {
  if (problem.position !== undefined) {
    const offset = utf16Offset(text, problem.position - 1);
    if (offset < text.length) return tokenRange(text, offset);
  }
  const named = namedIdentifier(problem.message, dialect);
  if (named) {
    const found = findIdentifier(text, named.name, named.qualifier);
    if (found) return found;
  }
  const near = /near '([\s\S]*)' at line \d+/.exec(problem.message)?.[1];
  if (near !== undefined) {
    const offset =
      near === '' ? text.trimEnd().length - 1 : text.endsWith(near) ? text.length - near.length : text.indexOf(near);
    if (offset >= 0) return tokenRange(text, offset);
  }
  const newline = text.indexOf('\n');
  return { start: 0, end: Math.max(1, newline < 0 ? text.length : newline) };
}

/** PG counts characters (code points); JS strings count UTF-16 units. */
function utf16Offset(text: string, codePoints: number): number {
  let units = 0;
  for (let seen = 0; seen < codePoints && units < text.length; seen++) {
    units += (text.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  }
  return units;
}

/** The identifier, quoted name or single character at `offset`. */
function tokenRange(text: string, offset: number): { start: number; end: number } {
  const quote = text[offset];
  if (quote === '"' || quote === '`') {
    const close = text.indexOf(quote, offset + 1);
    if (close > offset) return { start: offset, end: close + 1 };
  }
  const word = /^[\w$\u0080-\uffff]+/.exec(text.slice(offset, offset + 256))?.[0];
  return { start: offset, end: offset + Math.max(1, word?.length ?? 1) };
}

/** The name a server message is about: PG quotes it in double quotes, MySQL in single quotes. */
function namedIdentifier(message: string, dialect: Dialect): { name: string; qualifier?: string } | undefined {
  const quoted =
    dialect === 'postgres'
      ? /"([^"]+)"/.exec(message)?.[1]
      : (/^(?:Unknown column|Column|Table|Unknown database) '([^']+)'/.exec(message)?.[1] ??
        // 1305: "FUNCTION db.name does not exist" names the function without quotes.
        /^(?:FUNCTION|PROCEDURE) (\S+) does not exist/.exec(message)?.[1]);
  if (quoted === undefined) return undefined;
  const parts = quoted.split('.');
  const name = parts.at(-1) as string;
  return parts.length > 1 ? { name, qualifier: parts.at(-2) } : { name };
}

/** The first mention of `name` as an identifier (bare or quoted, any case), preferring `qualifier.name`. */
function findIdentifier(text: string, name: string, qualifier?: string): { start: number; end: number } | undefined {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ident = (s: string): string => `(?:[\`"]${escape(s)}[\`"]|(?<![\\w$])${escape(s)}(?![\\w$]))`;
  const patterns = qualifier
    ? [`${ident(qualifier)}\\s*\\.\\s*(${ident(name)})`, `(${ident(name)})`]
    : [`(${ident(name)})`];
  for (const pattern of patterns) {
    const match = new RegExp(pattern, 'i').exec(text);
    const group = match?.[1];
    if (match && group !== undefined) {
      const start = match.index + match[0].length - group.length;
      return { start, end: start + group.length };
    }
  }
  return undefined;
}
