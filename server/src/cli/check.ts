import path from 'node:path';
import { describerFor } from '../resultTypes/offlineDescribe';
import { checkFile, isHostFile, type FileProblem } from '../engine/checkFile';
import { extractEmbedded } from '../embedded/extract';
import { parseReportArgs } from './commandArgs';
import { readBaseline } from './baseline';
import { UsageError } from './config';
import { formatReport, lineStarts, withFingerprints, type FileResult } from './report';
import { openSchema } from './schemaSource';
import { DEFAULT_MAX_FILE_SIZE_MB, listSourceFiles, readBounded, type RunNote } from './sourceFiles';

export const CHECK_USAGE =
  'usage: live-schema check <paths…> [--format text|json|sarif] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--config FILE] [--root DIR] [--live] [--baseline schema.json] [--max-file-size-mb N]';

/**
 * `live-schema check <paths…>`: checks every `.sql`, TypeScript, JavaScript and Python file under
 * the paths against the schema with the editor's own pipeline (`engine/checkFile.ts`), so CI
 * reports what the editor shows. Files that cannot be read within bounds are skipped with a note.
 * `--baseline schema.json` prints how the schema changed since that snapshot and reports the code
 * it breaks as `schema-drift` (`baseline.ts`).
 * Exit code 1 when any finding is an error, 0 when clean, 2 on a usage or configuration problem
 * (bad arguments, unreachable schema source).
 */
export async function runCheck(args: string[]): Promise<number> {
  const { values, positionals, format, root } = parseReportArgs(args, CHECK_USAGE, {
    'max-file-size-mb': { type: 'string', default: String(DEFAULT_MAX_FILE_SIZE_MB) },
    baseline: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError(`no files or folders to check\n${CHECK_USAGE}`);
  const maxMb = Number(values['max-file-size-mb']);
  if (!(maxMb > 0))
    throw new UsageError(`--max-file-size-mb must be a positive number, got "${values['max-file-size-mb']}"`);
  const files = await listSourceFiles(positionals, process.cwd(), root);
  const schema = await openSchema(values, root, 'check');
  try {
    const settings = values.live
      ? { ...schema.settings, validation: { ...schema.settings.validation, liveCheck: true } }
      : schema.settings;
    const drift = values.baseline ? await readBaseline(values.baseline, process.cwd(), schema.snapshot) : undefined;
    if (values.live && !schema.prepareChecker)
      process.stderr.write(`warning: --live: the ${schema.connection.driver} driver has no live check\n`);
    const results: FileResult[] = [];
    const notes: RunNote[] = [];
    for (const { file, named } of files) {
      const shown = shownPath(root, file);
      const read = await readBounded(file, maxMb * 1_048_576);
      if ('skipped' in read) {
        notes.push({ file: shown, message: read.skipped });
        continue;
      }
      const { text } = read;
      const findings = await checkFile(
        // A file named on the command line is SQL unless it is a host language (`dump.txt`).
        { fileName: file, languageId: named && !isHostFile(file) ? 'sql' : undefined, text },
        {
          settings,
          snapshot: schema.snapshot,
          dialect: schema.snapshot.dialect,
          baseline: drift?.baseline,
          prepareChecker: schema.prepareChecker,
          describer: describerFor(settings.validation.liveCheck, schema.describer, schema.snapshot),
          extract: (options) => extractEmbedded(file, text, options),
        },
        // A CI run is a check on demand: the editor's automatic size limit does not apply.
        true,
      );
      results.push({
        file: shown,
        lines: lineStarts(text),
        findings: withFingerprints(shown, text, inTextOrder(findings ?? [])),
      });
    }
    const exitCode = results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
    process.stdout.write(formatReport(format, results, { notes, exitCode, schemaChanges: drift?.changes }));
    return exitCode;
  } finally {
    await schema.close();
  }
}

/** A path as reports show it: relative to the root when under it (SARIF needs that), else absolute. */
function shownPath(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** SQL findings and static dependencies of a host file arrive in two runs; a report reads top-down. */
function inTextOrder(findings: FileProblem[]): FileProblem[] {
  return [...findings].sort((a, b) => a.start - b.start || a.end - b.end);
}
