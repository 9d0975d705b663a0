/**
 * The one check pipeline of a file, shared by every front end: the language server runs it on an
 * open document, `live-schema check` on the files of a folder, so CI reports exactly what the
 * editor shows. The caller supplies the schema, the settings and (optionally) the schema before a
 * change and a live checker; nothing here knows where they came from.
 */
import { analyzeRegions } from '../embedded/analyzeRegions';
import { hostLanguageOf, type EmbeddedExtraction } from '../embedded/extract';
import type { EmbeddedSettings } from '../embedded/settings';
import type { LiveSchemaSettings } from '../config/settings';
import type { PrepareChecker } from '../db/driver';
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql } from '../sql/analyze';
import { finding, type Finding } from '../sql/findings';
import { liveCheck } from '../sql/liveCheck/liveCheck';
import { isUnknownName, markSchemaDrift } from '../sql/schemaDrift';

/** A file as the checker needs it: its name decides the language, unless `languageId` says SQL. */
export interface CheckableFile {
  /** A path or URI; its extension decides whether it is SQL or a host language. */
  fileName: string;
  languageId?: string;
  text: string;
}

/** A problem to show on a file: SQL findings and static dependencies alike. */
export type FileProblem = Omit<Finding, 'code'> & { code: string };

/** The schema the names broke against: the snapshot before a change, and what to call the change. */
export interface SchemaBaseline {
  previous: SchemaSnapshot;
  /** Dates the change in the message (the editor), or names it ("the baseline …", the CLI). */
  cause: Date | string;
}

export interface FileCheckContext {
  settings: LiveSchemaSettings;
  /** Without a snapshot (no connection, database not answering yet) only syntax is checked. */
  snapshot: SchemaSnapshot | undefined;
  dialect: Dialect;
  /** Unknown names that resolved against this earlier schema are reported as `schema-drift`. */
  baseline?: SchemaBaseline;
  /** The database PREPAREs what offline analysis let through (the live check), when given. */
  prepareChecker?: PrepareChecker;
  /** The SQL regions of a host file; the language server caches them per document version. */
  extract(options: {
    dialect: Dialect;
    snapshot: SchemaSnapshot | undefined;
    settings: EmbeddedSettings;
  }): Promise<EmbeddedExtraction>;
  /** Gives the event loop back between statements this often (an editor stays responsive). */
  yieldEveryMs?: number;
  signal?: AbortSignal;
}

/** Whether a file is SQL Live Schema checks statement by statement. */
export function isSqlFile(file: { fileName: string; languageId?: string }): boolean {
  return file.languageId === 'sql' || /\.sql$/i.test(file.fileName);
}

/** Whether a file is TypeScript, JavaScript or Python that may hold SQL. */
export function isHostFile(fileName: string): boolean {
  return hostLanguageOf(fileName) !== undefined;
}

/**
 * Checks one file: every statement of a SQL file, or the SQL strings and static dependencies of a
 * TS/JS/Python file. Files over `validation.maxFileSizeKb` get one Information finding instead,
 * unless `force` asks for a check on demand. Undefined when the check was cancelled.
 */
export async function checkFile(
  file: CheckableFile,
  context: FileCheckContext,
  force = false,
): Promise<FileProblem[] | undefined> {
  const sql = isSqlFile(file);
  if (!sql && !isHostFile(file.fileName)) return [];
  const { settings, snapshot, dialect, baseline, signal } = context;
  if (!settings.validation.enable) return [];
  const limitKb = settings.validation.maxFileSizeKb;
  if (!force && file.text.length > limitKb * 1024) {
    return [
      finding(
        'not-checked',
        0,
        firstLineEnd(file.text),
        `Not checked automatically: this file is ${describeSize(file.text.length)}, over liveSchema.validation.maxFileSizeKb (${limitKb} KB). Run "Live Schema: Check This File" to check it now.`,
      ),
    ];
  }
  const driftSeverity = settings.validation.severity['schema-drift'];
  const options = {
    severities: settings.validation.severity as never,
    ignoredNames: settings.validation.ignoredNames,
    yieldEveryMs: context.yieldEveryMs,
    signal,
  };
  if (sql) {
    const analysis = await analyzeSql(file.text, { dialect, snapshot, options });
    if (analysis.cancelled) return undefined;
    if (baseline && analysis.findings.some(isUnknownName)) {
      // Which of the unknown names resolved before the change: those are drift.
      const before = await analyzeSql(file.text, { dialect, snapshot: baseline.previous, options });
      if (before.cancelled) return undefined;
      analysis.findings = markSchemaDrift(analysis.findings, before.findings, baseline.cause, driftSeverity);
    }
    const checker = settings.validation.liveCheck ? context.prepareChecker : undefined;
    if (!checker || !snapshot) return analysis.findings;
    // The database judges what offline analysis let through: PREPARE only, never executed.
    const live = await liveCheck(file.text, analysis, dialect, checker);
    return [...analysis.findings, ...live.findings];
  }

  const extraction = await context.extract({ dialect, snapshot, settings: settings.embedded });
  let problems: FileProblem[] = await analyzeRegions(extraction.regions, {
    snapshot,
    options,
    settings: settings.embedded,
  });
  if (signal?.aborted) return undefined;
  if (baseline && problems.some(isUnknownName)) {
    const before = await analyzeRegions(extraction.regions, {
      snapshot: baseline.previous,
      options,
      settings: settings.embedded,
    });
    if (signal?.aborted) return undefined;
    problems = markSchemaDrift(problems, before, baseline.cause, driftSeverity);
  }
  for (const dependency of extraction.dependencies) {
    problems.push({
      code: dependency.code,
      severity: dependency.severity,
      start: dependency.start,
      end: dependency.end,
      message: dependency.message,
      suggestions: [],
    });
  }
  return problems;
}

/** "2.3 MB" or "700 KB": how a size appears in notes. */
export function describeSize(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return Math.max(1, nl < 0 ? Math.min(text.length, 200) : nl);
}
