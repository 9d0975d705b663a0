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

/** Exit codes: 0 clean, 1 findings with errors, 2 usage or configuration error. */
const commands: Record<string, { run: Command; summary: string }> = {
  check: {
    run: runCheck,
    summary:
      'check <paths…> [--format text|json|sarif] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR]   check SQL files',
  },
  scan: {
    run: runScan,
    summary:
      'scan [paths…] [--format text|json|sarif] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--exclude GLOB…]   list static dependencies on the schema in code',
  },
  demo: { run: runDemo, summary: 'demo [dir]   build the embedded schema from a project folder and print it' },
  generate: {
    run: runGenerate,
    summary:
      'generate [--language typescript|python] [--out FILE] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR]   write the schema module migrated code references',
  },
  mcp: {
    run: runMcp,
    summary:
      'mcp [--root DIR] [--config FILE] [--cache-dir DIR]   Model Context Protocol server on stdio for AI agents',
  },
  migrate: {
    run: runMigrate,
    summary:
      'migrate [paths…] [--root DIR] [--target kysely|knex] [--apply] [--format text|json]   convert SQL templates in code to query-builder calls (dry run unless --apply)',
  },
  rollback: {
    run: runRollback,
    summary: 'rollback [id|--last] [--root DIR]   restore the original text of a journaled migration',
  },
  snapshot: {
    run: runSnapshot,
    summary:
      'snapshot [--connection NAME] [--out .live-schema/schema.json] [--config FILE]   export the schema to a file',
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    const usage = Object.values(commands).map((c) => `  live-schema ${c.summary}`);
    process.stderr.write(`${name ? `unknown command "${name}"\n` : ''}usage:\n${usage.join('\n')}\n`);
    return 2;
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
