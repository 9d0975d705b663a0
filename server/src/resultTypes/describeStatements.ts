import type { StatementDescriber } from '../db/driver';
import type { Dialect } from '../schema/snapshot';
import type { AnalysisResult } from '../sql/analyze';
import { checkableKind } from '../sql/liveCheck/statementKind';
import { rowFields } from './rowType';

/** One statement's result row and parameters, as an agent reads them. */
export interface StatementResultType {
  /** 1-based index of the statement in the text. */
  statement: number;
  columns: { name: string; type: string; nullable: boolean; typescript: string }[];
  parameters: string[];
}

/**
 * What each query of a text returns, described by the live server (never executed): the same
 * statements a live check would PREPARE, those the offline analysis found nothing wrong with.
 * Statements the server will not describe are left out rather than guessed.
 */
export async function describeStatements(
  text: string,
  analysis: AnalysisResult,
  dialect: Dialect,
  describer: StatementDescriber,
  maxStatements: number,
): Promise<StatementResultType[]> {
  const described: StatementResultType[] = [];
  for (const [index, statement] of analysis.statements.entries()) {
    if (described.length >= maxStatements) break;
    if (statement.findings.some((f) => f.severity === 'error' || f.severity === 'warning')) continue;
    const sql = statement.bound?.text ?? text.slice(statement.start, statement.end);
    if (!checkableKind(sql, dialect)) continue;
    const description = await describer.describe(sql).catch(() => undefined);
    if (!description) continue;
    const fields = rowFields(description, dialect);
    described.push({
      statement: index + 1,
      columns: description.columns.map((c, i) => ({ ...c, typescript: fields[i].tsType })),
      parameters: description.parameters,
    });
  }
  return described;
}
