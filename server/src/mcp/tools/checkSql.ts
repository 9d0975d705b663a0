import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { PrepareChecker, StatementDescriber } from '../../db/driver';
import { checkSqlText } from '../../engine/checkFile';
import type { Finding } from '../../sql/findings';
import type { LiveCheckResult } from '../../sql/liveCheck/liveCheck';
import { TextPositions } from '../../text/textPositions';
import { describeStatements, type StatementResultType } from '../../resultTypes/describeStatements';
import type { McpSession } from '../mcpSession';
import { jsonResult, schemaSource } from './toolResult';

/**
 * `check_sql`: the findings `live-schema check` reports for a statement (codes, messages, "did you
 * mean" suggestions); with a live connection and the live check on, the database PREPAREs it in
 * a read-only session too, and each query's result columns and parameter types come back from the
 * server's description. Nothing is ever executed.
 */
export function registerCheckSql(server: McpServer, session: McpSession): void {
  server.registerTool(
    'check_sql',
    {
      title: 'Check SQL against the schema',
      description:
        'Checks one or more SQL statements against the live schema without running them: syntax in the ' +
        "connection's dialect, unknown schemas, tables and columns (with did-you-mean suggestions), ambiguous columns. " +
        'With "live" (or the liveCheck setting) a PostgreSQL or MySQL connection also PREPAREs the statement (never executes it) ' +
        'and returns what each query returns: result columns (name, database type, nullable, the TypeScript type node-postgres/mysql2 give) and parameter types.',
      inputSchema: z.strictObject({
        sql: z.string().min(1).max(1_000_000).describe('The SQL text: one statement or several separated by ";".'),
        connection: z
          .string()
          .min(1)
          .optional()
          .describe('The connection to check against (needed when several are configured).'),
        dialect: z
          .enum(['postgres', 'mysql'])
          .optional()
          .describe('Only when no connection is configured: check the syntax of this dialect.'),
        live: z.boolean().optional().describe('PREPARE on the live database too (default: the liveCheck setting).'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ sql, connection: name, dialect, live }) => {
      // The editor's check of the same text: its severities, ignored names, suppression comments,
      // drift since the last schema change noticed, and its live check (`engine/checkFile.ts`).
      const liveCheck = live ?? session.settings.validation.liveCheck;
      const settings = { ...session.settings, validation: { ...session.settings.validation, liveCheck } };
      if (session.connections.length === 0 && dialect) {
        const checked = await checkSqlText(sql, { settings, snapshot: undefined, dialect });
        const findings = checked?.findings ?? [];
        return jsonResult({ dialect, schema: 'none: syntax only', executed: false, findings: located(sql, findings) });
      }
      const connection = session.single(name);
      const { snapshot } = await session.resolve(connection);
      if (dialect && dialect !== snapshot.dialect)
        throw new Error(`Connection "${connection.name}" speaks ${snapshot.dialect}, not ${dialect}.`);
      const checker = liveCheck ? connection.prepareChecker() : undefined;
      const change = connection.lastChange;
      const checked = await checkSqlText(sql, {
        settings,
        snapshot,
        dialect: snapshot.dialect,
        baseline: change && { previous: change.event.previous.snapshot, cause: new Date(change.detectedAt) },
        prepareChecker: checker,
      });
      if (!checked) throw new Error('The check was cancelled.');
      const { analysis, live: run } = checked;
      let results: StatementResultType[] | undefined;
      if (run && !run.stoppedBecause && checker && 'describe' in checker)
        results = await describeStatements(sql, analysis, snapshot.dialect, checker as StatementDescriber, 100);
      return jsonResult({
        dialect: snapshot.dialect,
        source: schemaSource(connection),
        executed: false,
        liveCheck: liveNote(liveCheck, checker, run, connection.settings.driver),
        statements: analysis.statements.length,
        findings: located(
          sql,
          [...checked.findings].sort((a, b) => a.start - b.start),
        ),
        ...(results ? { results } : {}),
      });
    },
  );
}

/** What the live check did, in a few words. */
function liveNote(on: boolean, checker: PrepareChecker | undefined, run: LiveCheckResult | undefined, driver: string) {
  if (!on) return 'off';
  if (!checker || !run) return `not available for the ${driver} driver`;
  return run.stoppedBecause
    ? `stopped after ${run.prepared} statements: ${run.stoppedBecause}`
    : `${run.prepared} statements prepared, none executed`;
}

/** Findings with 1-based line and column (lines and UTF-16 columns as the editor counts them) and the text they point at. */
function located(sql: string, findings: Finding[]) {
  const positions = new TextPositions(sql);
  return findings.map((f) => {
    const { start, end } = positions.range(f.start, f.end);
    return {
      code: f.code,
      severity: f.severity,
      message: f.message,
      suggestions: f.suggestions,
      text: sql.slice(f.start, f.end),
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
  });
}
