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
import type { PrepareChecker, StatementDescriber } from '../db/driver';
import { resultTypeMismatches } from '../resultTypes/annotationMismatch';
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql, type AnalysisResult } from '../sql/analyze';
import { applyUserSettings, ignoredNameSet } from '../sql/findingSink';
import { finding, type Finding } from '../sql/findings';
import { liveCheck, type LiveCheckResult } from '../sql/liveCheck/liveCheck';
import { rememberingChecker } from '../sql/liveCheck/verdictCache';
import { toHostRange, type SqlRegion } from '../embedded/region';
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

/** What checking SQL text needs: the schema, the settings, and optionally an earlier schema and a live checker. */
export interface SqlCheckContext {
  settings: LiveSchemaSettings;
  /** Without a snapshot (no connection, database not answering yet) only syntax is checked. */
  snapshot: SchemaSnapshot | undefined;
  dialect: Dialect;
  /** Unknown names that resolved against this earlier schema are reported as `schema-drift`. */
  baseline?: SchemaBaseline;
  /** The database PREPAREs what offline analysis let through (the live check), when given. */
  prepareChecker?: PrepareChecker;
  /** Gives the event loop back between statements this often (an editor stays responsive). */
  yieldEveryMs?: number;
  signal?: AbortSignal;
}

/** What checking a file needs beyond its SQL: the regions of a host file and a describer for row types. */
export interface FileCheckContext extends SqlCheckContext {
  /** Describes a statement's row (live server, or offline from the snapshot): row type annotations in TypeScript are judged by it. */
  describer?: StatementDescriber;
  /** The SQL regions of a host file; the language server caches them per document version. */
  extract(options: {
    dialect: Dialect;
    snapshot: SchemaSnapshot | undefined;
    settings: EmbeddedSettings;
  }): Promise<EmbeddedExtraction>;
}

/** SQL text checked: its findings, the analysis they came from, and the live check's run when there was one. */
export interface SqlTextCheck {
  findings: Finding[];
  analysis: AnalysisResult;
  live: LiveCheckResult | undefined;
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
  if (sql) return (await checkSqlText(file.text, context))?.findings;

  const driftSeverity = settings.validation.severity['schema-drift'];
  const options = analysisOptions(context);
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
  const checker = liveChecker(context);
  if (checker)
    problems.push(...asSettingsSay(await liveCheckRegions(extraction.regions, problems, context, checker), settings));
  if (signal?.aborted) return undefined;
  // Row type annotations in TypeScript, judged by the statement's description (never executed).
  const describer = context.describer;
  if (describer && snapshot && /\.[cm]?tsx?$/.test(file.fileName))
    problems.push(
      ...(await resultTypeMismatches(file.text, extraction.regions, (text) =>
        describer.describe(text).catch(() => undefined),
      )),
    );
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

/**
 * Checks SQL text statement by statement: what a `.sql` file gets, and what MCP's `check_sql`
 * answers for a text. Severities and ignored names from the settings, suppression comments,
 * drift against the baseline, then the live check. Undefined when the check was cancelled.
 */
export async function checkSqlText(text: string, context: SqlCheckContext): Promise<SqlTextCheck | undefined> {
  const { settings, snapshot, dialect, baseline } = context;
  const options = analysisOptions(context);
  const analysis = await analyzeSql(text, { dialect, snapshot, options });
  if (analysis.cancelled) return undefined;
  if (baseline && analysis.findings.some(isUnknownName)) {
    // Which of the unknown names resolved before the change: those are drift.
    const before = await analyzeSql(text, { dialect, snapshot: baseline.previous, options });
    if (before.cancelled) return undefined;
    const driftSeverity = settings.validation.severity['schema-drift'];
    analysis.findings = markSchemaDrift(analysis.findings, before.findings, baseline.cause, driftSeverity);
  }
  const checker = liveChecker(context);
  if (!checker) return { findings: analysis.findings, analysis, live: undefined };
  // The database judges what offline analysis let through: PREPARE only, never executed.
  const live = await liveCheck(text, analysis, dialect, checker);
  return { findings: [...analysis.findings, ...asSettingsSay(live.findings, settings)], analysis, live };
}

/** The database's objections as the offline findings are shown: ignored names dropped, severities overridden. */
function asSettingsSay(findings: Finding[], settings: LiveSchemaSettings): Finding[] {
  const { ignoredNames, severity } = settings.validation;
  return applyUserSettings(findings, ignoredNameSet(ignoredNames), severity);
}

function analysisOptions(context: SqlCheckContext) {
  const { validation } = context.settings;
  return {
    severities: validation.severity as never,
    ignoredNames: validation.ignoredNames,
    yieldEveryMs: context.yieldEveryMs,
    signal: context.signal,
  };
}

/** The live check's checker when it is on and the connection has one, remembering its verdicts per snapshot. */
function liveChecker(context: SqlCheckContext): PrepareChecker | undefined {
  const { settings, prepareChecker, snapshot } = context;
  if (!settings.validation.liveCheck || !prepareChecker || !snapshot) return undefined;
  return rememberingChecker(prepareChecker, snapshot);
}

/**
 * The live check of SQL in code: each checked statement region (static or templated, not
 * suppressed) that offline analysis found no fault in is PREPAREd as the region's text, its
 * interpolations as parameters; the database's objection is mapped back onto the host characters.
 */
async function liveCheckRegions(
  regions: SqlRegion[],
  offline: FileProblem[],
  context: FileCheckContext,
  checker: PrepareChecker,
): Promise<Finding[]> {
  const faulty = new Set(
    offline
      .filter((p) => p.severity === 'error' || p.severity === 'warning')
      .map((p) => (p as { region?: number }).region),
  );
  const found: Finding[] = [];
  for (const [index, region] of regions.entries()) {
    if (region.suppressed || region.kind !== 'statement' || region.certainty === 'dynamic' || faulty.has(index))
      continue;
    if (context.signal?.aborted) break;
    const analysis = await analyzeSql(region.text, { dialect: region.dialect, snapshot: context.snapshot });
    const live = await liveCheck(region.text, analysis, region.dialect, checker);
    for (const f of live.findings) {
      const host = toHostRange(region, f.start, f.end);
      found.push({ ...f, start: host.start, end: host.end });
    }
    if (live.stoppedBecause) break;
  }
  return found;
}

/** "2.3 MB" or "700 KB": how a size appears in notes. */
export function describeSize(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return Math.max(1, nl < 0 ? Math.min(text.length, 200) : nl);
}
