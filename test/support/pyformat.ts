/**
 * A statement written for Node drivers (`$1` on PostgreSQL, `?` on MySQL) as Python's DB-API
 * drivers take it: `%s` markers with a tuple of values, and `%` doubled, since psycopg2 and PyMySQL
 * format the text whenever values are passed.
 */
import type { Dialect } from '../../server/src/schema/snapshot';
import type { PythonCallCase } from './pythonCalls';
import { hostValueOf } from './sqlGenerator/hostValues';

export function pyformatCase(sql: string, dialect: Dialect, params: unknown[] = [], check?: string): PythonCallCase {
  if (params.length === 0) return { sql, ...(check ? { check } : {}) };
  const values: unknown[] = [];
  let text = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i];
    if (char === '%') {
      text += '%%';
      continue;
    }
    if (quote) {
      if (char === '\\' && dialect === 'mysql' && quote === "'") {
        text += char + sql[++i];
        continue;
      }
      if (char === quote) quote = undefined;
      text += char;
    } else if (char === "'" || char === '"' || char === '`') {
      quote = char;
      text += char;
    } else if (dialect === 'postgres' && char === '$' && /\d/.test(sql[i + 1] ?? '')) {
      const digits = /^\d+/.exec(sql.slice(i + 1))![0];
      values.push(params[Number(digits) - 1]);
      text += '%s';
      i += digits.length;
    } else if (dialect === 'mysql' && char === '?') {
      values.push(params[values.length]);
      text += '%s';
    } else text += char;
  }
  return { sql: text, values: values.map(hostValueOf), ...(check ? { check } : {}) };
}
