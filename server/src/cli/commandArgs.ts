import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './config';
import type { ReportFormat } from './report';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * The schema-source flags, the same on every command that reads a schema, with one meaning:
 * `--connection` a configured connection by name, `--url` a database URL, `--snapshot` a
 * `schema.json`, `--schema-files` a folder of DDL for the embedded PostgreSQL, `--config` the
 * configuration file, `--root` the project folder (configuration, paths shown), `--live` the
 * PREPARE-only check on the live database.
 */
export const SCHEMA_SOURCE_OPTIONS = {
  connection: { type: 'string' },
  config: { type: 'string' },
  url: { type: 'string' },
  snapshot: { type: 'string' },
  'schema-files': { type: 'string' },
  root: { type: 'string' },
  live: { type: 'boolean', default: false },
} as const satisfies OptionsConfig;

/** `--root DIR` resolved against the working directory (the working directory by default). */
export function rootFrom(values: { root?: string }, cwd = process.cwd()): string {
  return path.resolve(cwd, values.root ?? '.');
}

/**
 * Parses a command's arguments: the schema-source flags plus the command's own `extra` ones.
 * An unknown flag is a `UsageError` showing `usage`.
 */
export function parseCommandArgs<Extra extends OptionsConfig>(args: string[], usage: string, extra: Extra) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { ...SCHEMA_SOURCE_OPTIONS, ...extra } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  return { values: parsed.values, positionals: parsed.positionals, root: rootFrom(parsed.values) };
}

/** Parses a reporting command (`check`, `scan`): the shared flags, `--format` and the command's own. */
export function parseReportArgs<Extra extends OptionsConfig>(args: string[], usage: string, extra: Extra) {
  const parsed = parseCommandArgs(args, usage, { format: { type: 'string', default: 'text' }, ...extra });
  // TypeScript cannot see through the generic merge that `--format` (a string with a default) is there.
  const { format } = parsed.values as { format: string };
  if (!isReportFormat(format)) throw new UsageError(`--format must be text, json or sarif, got "${format}"`);
  return { ...parsed, format };
}

function isReportFormat(format: string): format is ReportFormat {
  return format === 'text' || format === 'json' || format === 'sarif';
}
