#!/usr/bin/env node
/**
 * `live-schema`: the command-line front end. It only parses arguments and prints; each command
 * lives in `cli/<command>.ts` and calls the core.
 */
import { runCheck } from './cli/check';
import { runDemo } from './cli/demo';
import { runGenerate } from './cli/generate';
import { runMigrate } from './cli/migrate';
import { runRollback } from './cli/rollback';
import { runScan } from './cli/scan';
import { runSnapshot } from './cli/snapshot';
import { runMcp } from './mcp/runMcp';

type Command = (args: string[]) => Promise<number>;

/** What the schema-source flags mean, the same on every command (parsed in `cli/commandArgs.ts`). */
const SOURCE_HELP = [
  'Schema source (one of; default: the configured connection, else the embedded schema from schema.sql, db/ or migrations/):',
  '  --connection NAME   a connection configured in live-schema.json',
  '  --url URL           a PostgreSQL or MySQL/MariaDB URL (password from LIVE_SCHEMA_PASSWORD or PGPASSWORD)',
  '  --snapshot FILE     a schema.json written by live-schema snapshot',
  '  --schema-files DIR  every .sql file under DIR (or one file), applied to an embedded PostgreSQL',
  '  --config FILE       the configuration file (default live-schema.json or .live-schema/config.json under --root)',
  '  --root DIR          the project folder (default: the working directory)',
  '  --live              also PREPARE statements on a live database (read-only, never executed)',
].join('\n');

/** Exit codes: 0 clean, 1 findings with errors, 2 usage or configuration error. */
const commands: Record<string, { run: Command; summary: string }> = {
  check: {
    run: runCheck,
    summary:
      'check <paths…> [--format text|json|sarif] [--baseline schema.json] [--live] [--max-file-size-mb N] [schema source]   check SQL in .sql, TypeScript, JavaScript and Python files',
  },
  scan: {
    run: runScan,
    summary:
      'scan [paths…] [--format text|json|sarif] [--exclude GLOB…] [schema source]   list static dependencies on the schema in code',
  },
  demo: { run: runDemo, summary: 'demo [dir]   build the embedded schema from a project folder and print it' },
  generate: {
    run: runGenerate,
    summary:
      'generate [--language typescript|python] [--out FILE] [schema source]   write the schema module migrated code references',
  },
  mcp: {
    run: runMcp,
    summary:
      'mcp [--root DIR] [--config FILE] [--cache-dir DIR]   Model Context Protocol server on stdio for AI agents',
  },
  migrate: {
    run: runMigrate,
    summary:
      'migrate [paths…] [--target kysely|knex] [--apply] [--format text|json] [schema source]   convert SQL templates in code to query-builder calls (dry run unless --apply)',
  },
  rollback: {
    run: runRollback,
    summary: 'rollback [id|--last] [--root DIR]   restore the original text of a journaled migration',
  },
  snapshot: {
    run: runSnapshot,
    summary: 'snapshot [--out .live-schema/schema.json] [schema source]   export the schema to a file',
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    const usage = Object.values(commands).map((c) => `  live-schema ${c.summary}`);
    const help = name === '--help' || name === '-h';
    (help ? process.stdout : process.stderr).write(
      `${name && !help ? `unknown command "${name}"\n` : ''}usage:\n${usage.join('\n')}\n\n${SOURCE_HELP}\n`,
    );
    return help ? 0 : 2;
  }
  // `--help` on every command, answered here so no command can forget it.
  if (args.includes('--help') || args.includes('-h')) {
    const sourceHelp = command.summary.includes('[schema source]') ? `\n${SOURCE_HELP}\n` : '';
    process.stdout.write(`usage: live-schema ${command.summary}\n${sourceHelp}`);
    return 0;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`live-schema: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
