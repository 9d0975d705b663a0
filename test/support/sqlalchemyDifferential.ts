/**
 * The differential run for SQLAlchemy Core: seeded random statements (test/support/sqlGenerator)
 * as DB-API calls in a Python host file, migrated, and both files run on the real database
 * (test/support/pythonCalls). Each statement's migration is refused, or WRONG when what the user's
 * code receives differs in any way.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Dialect } from '../../server/src/schema/snapshot';
import { comparableRows, runPythonCalls, type CallComparison, type PythonCallCase } from './pythonCalls';
import { renderStatement } from './sqlGenerator/render';
import { generateStatements, type GeneratedStatement } from './sqlGenerator/statements';

export interface DifferentialSummary {
  generated: number;
  migrated: number;
  /** Refusal reasons (quoted names and numbers elided) and how often each was given. */
  refused: Map<string, number>;
  /** Statements the original call itself failed on (data-dependent errors, NOT NULL, …). */
  failedOriginal: number;
  wrong: { sql: string; why: string; code?: string; sent?: string }[];
}

/** Host files of this many calls each: one migration plan and one Python process per batch. */
const BATCH = 500;

function toCase(statement: GeneratedStatement, index: number): PythonCallCase {
  const rendered = renderStatement(statement.pieces, index % 2 === 0 ? 'pyformat' : 'pyformat-named');
  // Every third call passes the SQL through a local variable, as much application code does.
  return { ...rendered, ...(statement.check ? { check: statement.check } : {}), viaVariable: index % 3 === 2 };
}

/** Why the migrated call's outcome differs from the original's, or undefined when it does not. */
export function difference(result: CallComparison, ordered: boolean): string | undefined {
  const { original, migrated } = result;
  if (!migrated) return undefined;
  if (original.error !== undefined) {
    if (migrated.error === undefined) return 'runs where the original fails';
    // The user's code catches the driver's error class: the migrated call must raise the same one.
    const errorClass = (error: string) => error.split(':')[0];
    return errorClass(migrated.error) === errorClass(original.error) ? undefined : `fails otherwise: ${migrated.error}`;
  }
  if (migrated.error !== undefined) return `fails: ${migrated.error}`;
  if (!isDeepStrictEqual(migrated.columns, original.columns)) return 'column names differ';
  if (!isDeepStrictEqual(comparableRows(migrated.rows, ordered), comparableRows(original.rows, ordered)))
    return 'rows or their types differ';
  if (migrated.rowcount !== original.rowcount) return 'rowcount differs';
  if (!isDeepStrictEqual(migrated.state, original.state)) return 'table state differs';
  return undefined;
}

export async function runSqlAlchemyDifferential(
  dialect: Dialect,
  database: string,
  schemaModule: string,
  seed: number,
  count: number,
): Promise<DifferentialSummary> {
  const statements = generateStatements(seed, dialect, count);
  const cases = statements.map(toCase);
  const summary: DifferentialSummary = {
    generated: count,
    migrated: 0,
    refused: new Map(),
    failedOriginal: 0,
    wrong: [],
  };
  for (let start = 0; start < cases.length; start += BATCH) {
    const batch = cases.slice(start, start + BATCH);
    const results = await runPythonCalls(dialect, database, schemaModule, batch);
    results.forEach((result, offset) => {
      if (result.refused !== undefined) {
        const reason = result.refused.replace(/"[^"]*"/g, '"…"').replace(/\b\d+(\.\d+)?\b/g, 'N');
        summary.refused.set(reason, (summary.refused.get(reason) ?? 0) + 1);
        return;
      }
      summary.migrated++;
      if (result.original.error !== undefined) summary.failedOriginal++;
      const why = difference(result, statements[start + offset].ordered);
      if (why)
        summary.wrong.push({ sql: batch[offset].sql, why, code: result.migratedCode, sent: result.migrated?.executed });
    });
  }
  return summary;
}

/** The summary as lines for a test diagnostic or the bench output. */
export function describeSummary(dialect: Dialect, summary: DifferentialSummary): string[] {
  const refusedTotal = [...summary.refused.values()].reduce((a, b) => a + b, 0);
  return [
    `sqlalchemy ${dialect}: ${summary.generated} generated, ${summary.migrated} migrated, ${refusedTotal} refused, ${summary.wrong.length} WRONG, ${summary.failedOriginal} where the original call fails`,
    ...tally(summary.refused).map(([reason, n]) => `  refused ${n}× ${reason}`),
    ...tally(wrongCauses(summary)).map(([why, n]) => `  WRONG ${n}× ${why}`),
  ];
}

/** WRONG migrations grouped by what differed (error messages cut before their details). */
function wrongCauses(summary: DifferentialSummary): Map<string, number> {
  const causes = new Map<string, number>();
  for (const { why } of summary.wrong) {
    const cause = why.replace(/(LINE \d|\bat character\b|"[^"]*"|'[^']*'|\d+).*$/, '…').slice(0, 120);
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
  }
  return causes;
}

function tally(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1]);
}
