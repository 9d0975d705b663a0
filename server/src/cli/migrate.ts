import path from 'node:path';
import { hostLanguageOf } from '../embedded/extract';
import { TARGET_TITLES } from '../migrate/builderTarget';
import { chooseTarget } from '../migrate/chooseTarget';
import { JournalError, type FileEdit } from '../migrate/journal/entry';
import { readSourceText } from '../migrate/journal/fileText';
import { applyMigration } from '../migrate/journal/migrationJournal';
import { planFileMigration } from '../migrate/planMigration';
import { WorkspaceFilter } from '../index/workspaceFilter';
import { TextPositions } from '../text/textPositions';
import { parseCommandArgs } from './commandArgs';
import { loadCliConfig, pickConnection, UsageError } from './config';
import { chooseSource } from './schemaSource';

const USAGE =
  'usage: live-schema migrate [paths…] [--target kysely|knex] [--apply] [--format text|json] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--config FILE] [--root DIR]';

/**
 * `live-schema migrate`: converts the SQL templates of TS/JS/Python files to query-builder calls.
 * A dry run by default (prints each change and each refusal); `--apply` journals the migration,
 * then writes the files, so `live-schema rollback --last` undoes it. Exit 0 done (or nothing to
 * do), 1 conflicts while applying, 2 usage or journal error.
 */
export async function runMigrate(args: string[]): Promise<number> {
  try {
    return await migrate(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof JournalError) {
      process.stderr.write(`live-schema migrate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function migrate(args: string[]): Promise<number> {
  const { values, positionals, root } = parseCommandArgs(args, USAGE, {
    target: { type: 'string' },
    apply: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
  });
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format must be text or json, got "${values.format}"`);
  const target = builderTarget(values.target);
  if (values.target !== undefined && !target)
    throw new UsageError(`--target must be kysely or knex, got "${values.target}"`);
  const { settings } = loadCliConfig(values.config, root);
  const migrations = { ...settings.migrations, ...(target ? { target } : {}) };
  // The dialect of the schema source decides the SQL read; the schema itself is not needed.
  const configured = settings.connections.length ? () => pickConnection(settings, values.connection) : undefined;
  const dialect =
    chooseSource(values, configured, root, 'migrate').connection.driver === 'mysql' ? 'mysql' : 'postgres';

  const filter = new WorkspaceFilter({ root });
  const starts = positionals.length > 0 ? positionals.map((p) => path.resolve(p)) : [root];
  const files: string[] = [];
  for (const start of starts) files.push(...(hostLanguageOf(start) ? [start] : await filter.files(start)));

  const edits: FileEdit[] = [];
  const report: { file: string; line: number; change?: { before: string; after: string }; refused?: string }[] = [];
  const targets = new Set<string>();
  let converted = 0;
  for (const file of files.filter((f) => hostLanguageOf(f))) {
    const text = await readSourceText(file);
    if (text === undefined) continue;
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) throw new UsageError(`${file} is outside --root ${root}`);
    const choice = await chooseTarget(root, hostLanguageOf(file)!, migrations);
    const plan = await planFileMigration({ file: relative, fileName: file, text, dialect, ...choice });
    const lines = new TextPositions(text);
    for (const edit of plan.edits)
      report.push({
        file: relative,
        line: lines.lineAt(edit.start) + 1,
        // From the line start, so the first line shows with its indentation like the others.
        change: {
          before: lineHead(text, edit.start) + edit.originalText,
          after: lineHead(text, edit.start) + edit.newText,
        },
      });
    for (const refusal of plan.refusals)
      report.push({ file: relative, line: lines.lineAt(refusal.offset) + 1, refused: refusal.reason });
    if (plan.converted > 0) targets.add(TARGET_TITLES[choice.target]);
    converted += plan.converted;
    edits.push(...plan.edits);
  }
  report.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

  let applied: { id: string; conflicts: number } | undefined;
  if (values.apply && edits.length > 0) {
    const changedFiles = new Set(edits.map((e) => e.file)).size;
    const description = `${converted} SQL ${converted === 1 ? 'template' : 'templates'} → ${[...targets].join(', ')} in ${changedFiles === 1 ? edits[0].file : `${changedFiles} files`}`;
    const result = await applyMigration(root, edits, { target: [...targets].join(', '), description });
    applied = { id: result.entry.id, conflicts: result.conflicts.length };
  }

  if (values.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ converted, refused: report.filter((r) => r.refused).length, applied, changes: report }, null, 2)}\n`,
    );
  } else {
    for (const item of report) {
      if (item.refused) process.stdout.write(`${item.file}:${item.line}: not migrated: ${item.refused}\n`);
      else
        process.stdout.write(
          `${item.file}:${item.line}: migrated\n${indent('- ', item.change!.before)}${indent('+ ', item.change!.after)}`,
        );
    }
    const refused = report.filter((r) => r.refused).length;
    const summary = `${converted} SQL ${converted === 1 ? 'template' : 'templates'} can be migrated, ${refused} left as they are`;
    if (applied && applied.conflicts === 0)
      process.stdout.write(
        `\n${summary}; applied and journaled as ${applied.id} (undo: live-schema rollback --last).\n`,
      );
    else if (applied) process.stdout.write(`\nNot applied: the files changed while migrating; nothing was written.\n`);
    else process.stdout.write(`\n${summary}.${converted > 0 ? ' Dry run: add --apply to write the files.' : ''}\n`);
  }
  return applied && applied.conflicts > 0 ? 1 : 0;
}

function lineHead(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}

function builderTarget(value: string | undefined): 'kysely' | 'knex' | undefined {
  return value === 'kysely' || value === 'knex' ? value : undefined;
}

function indent(prefix: string, text: string): string {
  return `${text.replace(/\r?\n$/, '').replace(/^/gm, `    ${prefix}`)}\n`;
}
