import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './config';
import type { ReportFormat } from './report';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The flags of every command that reads a schema and reports on files: the format and the schema source. */
const REPORT_OPTIONS = {
  format: { type: 'string', default: 'text' },
  connection: { type: 'string' },
  config: { type: 'string' },
  url: { type: 'string' },
  snapshot: { type: 'string' },
  'schema-files': { type: 'string' },
} as const satisfies OptionsConfig;

/**
 * Parses the arguments of a reporting command (`check`, `scan`): the shared flags plus the
 * command's own `extra` ones. An unknown flag or format is a `UsageError` showing `usage`.
 */
export function parseReportArgs<Extra extends OptionsConfig>(args: string[], usage: string, extra: Extra) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { ...REPORT_OPTIONS, ...extra } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  // TypeScript cannot see through the generic merge that `--format` (a string with a default) is there.
  const { format } = parsed.values as { format: string };
  if (!isReportFormat(format)) throw new UsageError(`--format must be text, json or sarif, got "${format}"`);
  return { values: parsed.values, positionals: parsed.positionals, format };
}

function isReportFormat(format: string): format is ReportFormat {
  return format === 'text' || format === 'json' || format === 'sarif';
}
