import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { analyzeSql } from '../../sql/analyze';
import type { StatementDescriber } from '../../db/driver';
import type { Finding } from '../../sql/findings';
import { liveCheck } from '../../sql/liveCheck/liveCheck';
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
      const options = {
        severities: session.settings.validation.severity,
        ignoredNames: session.settings.validation.ignoredNames,
      };
      if (session.connections.length === 0 && dialect) {
        const { findings } = await analyzeSql(sql, { dialect, options });
        return jsonResult({ dialect, schema: 'none: syntax only', executed: false, findings: located(sql, findings) });
      }
      const connection = session.single(name);
      const { snapshot } = await session.resolve(connection);
      if (dialect && dialect !== snapshot.dialect)
        throw new Error(`Connection "${connection.name}" speaks ${snapshot.dialect}, not ${dialect}.`);
      const analysis = await analyzeSql(sql, { dialect: snapshot.dialect, snapshot, options });
      const findings = [...analysis.findings];
      let liveNote: string;
      let results: StatementResultType[] | undefined;
      const checker = connection.prepareChecker();
      if (!(live ?? session.settings.validation.liveCheck)) liveNote = 'off';
      else if (!checker) liveNote = `not available for the ${connection.settings.driver} driver`;
      else {
        const result = await liveCheck(sql, analysis, snapshot.dialect, checker, { maxStatements: 100 });
        findings.push(...result.findings);
        findings.sort((a, b) => a.start - b.start);
        if ('describe' in checker && !result.stoppedBecause)
          results = await describeStatements(sql, analysis, snapshot.dialect, checker as StatementDescriber, 100);
        liveNote = result.stoppedBecause
          ? `stopped after ${result.prepared} statements: ${result.stoppedBecause}`
          : `${result.prepared} statements prepared, none executed`;
      }
      return jsonResult({
        dialect: snapshot.dialect,
        source: schemaSource(connection),
        executed: false,
        liveCheck: liveNote,
        statements: analysis.statements.length,
        findings: located(sql, findings),
        ...(results ? { results } : {}),
      });
    },
  );
}

/** Findings with 1-based line and column and the text they point at, for an agent to act on. */
function located(sql: string, findings: Finding[]) {
  return findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    message: f.message,
    suggestions: f.suggestions,
    text: sql.slice(f.start, f.end),
    ...position(sql, f.start, 'start'),
    ...position(sql, f.end, 'end'),
  }));
}

function position(text: string, offset: number, prefix: 'start' | 'end') {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return prefix === 'start' ? { line, column } : { endLine: line, endColumn: column };
}
