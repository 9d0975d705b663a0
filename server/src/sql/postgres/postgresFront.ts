/**
 * PostgreSQL front: the syntax verdict comes from PostgreSQL's own grammar (libpg-query, the
 * server's parser compiled to WASM); the AST is then translated into the query model.
 */
import { loadModule, parseSync } from 'libpg-query';
import { finding } from '../findings';
import type { DialectFront, FrontResult } from '../front';
import type { StatementSpan } from '../splitStatements';
import { countProblems } from './countChecks';
import { functionCalls } from './functionCalls';
import { lexNameChain, tokenAt } from './identifiers';
import { StatementOffsets } from './offsets';
import { translateStatement } from './translateStatement';

let loading: Promise<void> | undefined;

/** Parser messages that mean the parser gave up, not that the SQL is wrong. */
const GAVE_UP = /memory exhausted|stack depth|too complex|out of memory/i;

export const postgresFront: DialectFront = {
  ready: () => (loading ??= loadModule()),
  parse(span: StatementSpan): FrontResult {
    const offsets = new StatementOffsets(span.text, span.start);
    let ast: { stmts?: { stmt?: Record<string, unknown> }[] };
    try {
      ast = parseSync(span.text);
    } catch (error) {
      return syntaxError(error, span, offsets);
    }
    try {
      const node = ast.stmts?.[0]?.stmt;
      if (!node) return { kind: 'parsed', model: {} };
      const ctx = { offsets, chain: (loc: number) => lexNameChain(span.text, offsets.local(offsets.fromByte(loc))) };
      const model = translateStatement(node, ctx);
      const calls = functionCalls(node, ctx);
      if (calls.length > 0) model.calls = calls;
      const findings = countProblems(node, ctx);
      return findings.length > 0 ? { kind: 'parsed', model, findings } : { kind: 'parsed', model };
    } catch (error) {
      if (error instanceof RangeError)
        return { kind: 'not-checked', reason: 'the statement nests too deeply to analyse' };
      throw error;
    }
  },
};

function syntaxError(error: unknown, span: StatementSpan, offsets: StatementOffsets): FrontResult {
  const e = error as { message?: string; sqlDetails?: { cursorPosition?: number } };
  const message = e.message ?? String(error);
  if (error instanceof RangeError || GAVE_UP.test(message)) {
    return { kind: 'not-checked', reason: `the PostgreSQL parser gave up (${message})` };
  }
  const cursor = e.sqlDetails?.cursorPosition;
  const local = cursor === undefined ? 0 : offsets.local(offsets.fromCodePoint(cursor));
  const token = tokenAt(span.text, local);
  const hint = span.text.includes('`') ? ' This looks like MySQL/MariaDB SQL; the file is checked as PostgreSQL.' : '';
  return {
    kind: 'syntax-error',
    findings: [
      finding('syntax-error', span.start + token.start, span.start + token.end, `Syntax error: ${message}.${hint}`),
    ],
  };
}
