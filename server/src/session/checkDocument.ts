import { analyzeRegions } from '../embedded/analyzeRegions';
import { resultTypeMismatches } from '../resultTypes/annotationMismatch';
import { offlineDescriber } from '../resultTypes/offlineDescribe';
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql } from '../sql/analyze';
import { finding, type Finding } from '../sql/findings';
import { liveCheck } from '../sql/liveCheck/liveCheck';
import { isUnknownName, markSchemaDrift } from '../sql/schemaDrift';
import type { EmbeddedDocuments } from './embeddedDocuments';
import { isHostDocument } from './embeddedDocuments';
import type { Session } from './session';

/** A document as the checker needs it: no editor types. */
export interface CheckableDocument {
  uri: string;
  languageId: string;
  version: number;
  text: string;
}

/** A problem to show on a document: SQL findings and static dependencies alike. */
export type DocumentProblem = Omit<Finding, 'code'> & { code: string };

/** Whether a document is a SQL file Live Schema checks statement by statement. */
export function isSqlDocument(doc: { uri: string; languageId: string }): boolean {
  return doc.languageId === 'sql' || /\.sql$/i.test(doc.uri);
}

/** The snapshot and dialect that apply to a document. */
export async function schemaFor(
  session: Session,
  uri: string,
): Promise<{ snapshot: SchemaSnapshot | undefined; dialect: Dialect }> {
  const source = session.connectionFor(uri);
  const snapshot = source ? await source.ready() : undefined;
  return { snapshot, dialect: snapshot?.dialect ?? (source?.settings.driver === 'mysql' ? 'mysql' : 'postgres') };
}

/**
 * Checks one document against the schema of the connection bound to it: every statement of a SQL
 * file, or the SQL strings and static dependencies of a TS/JS/Python file. Without a snapshot
 * (no connection, database not answering yet) only syntax is checked. Documents over the size
 * limit get one Information finding instead, unless `force` asks for a check on demand.
 */
export async function checkDocument(
  session: Session,
  embedded: EmbeddedDocuments,
  doc: CheckableDocument,
  force = false,
  signal?: AbortSignal,
): Promise<DocumentProblem[] | undefined> {
  const sql = isSqlDocument(doc);
  if (!sql && !isHostDocument(doc.uri)) return [];
  const settings = session.settingsFor(doc.uri);
  if (!settings.validation.enable) return [];
  const limit = settings.validation.maxFileSizeKb * 1024;
  if (!force && doc.text.length > limit) {
    const size =
      doc.text.length >= 1_048_576
        ? `${(doc.text.length / 1_048_576).toFixed(1)} MB`
        : `${Math.round(doc.text.length / 1024)} KB`;
    return [
      finding(
        'not-checked',
        0,
        firstLineEnd(doc.text),
        `Not checked automatically: this file is ${size}, over liveSchema.validation.maxFileSizeKb (${settings.validation.maxFileSizeKb} KB). Run "Live Schema: Check This File" to check it now.`,
      ),
    ];
  }
  const { snapshot, dialect } = await schemaFor(session, doc.uri);
  const change = session.connectionFor(doc.uri)?.lastChange;
  const driftSeverity = settings.validation.severity['schema-drift'];
  const options = {
    severities: settings.validation.severity as never,
    ignoredNames: settings.validation.ignoredNames,
    // Between statements the analysis gives the event loop back, so completion and hover elsewhere
    // answer while a large file is checked, and a newer version of the document cancels this check.
    yieldEveryMs: 10,
    signal,
  };
  if (sql) {
    const analysis = await analyzeSql(doc.text, { dialect, snapshot, options });
    if (analysis.cancelled) return undefined;
    if (change && analysis.findings.some(isUnknownName)) {
      // Which of the unknown names resolved before the last schema change: those are drift.
      const before = await analyzeSql(doc.text, { dialect, snapshot: change.previous, options });
      if (before.cancelled) return undefined;
      analysis.findings = markSchemaDrift(analysis.findings, before.findings, change.at, driftSeverity);
    }
    const checker = settings.validation.liveCheck ? session.connectionFor(doc.uri)?.prepareChecker : undefined;
    if (!checker || !snapshot) return analysis.findings;
    // The database judges what offline analysis let through: PREPARE only, never executed.
    const live = await liveCheck(doc.text, analysis, dialect, checker);
    return [...analysis.findings, ...live.findings];
  }

  const extraction = await embedded.extraction(doc.uri, doc.version, doc.text, {
    dialect,
    snapshot,
    settings: settings.embedded,
  });
  let problems: DocumentProblem[] = await analyzeRegions(extraction.regions, {
    snapshot,
    options,
    settings: settings.embedded,
  });
  if (signal?.aborted) return undefined;
  if (change && problems.some(isUnknownName)) {
    const before = await analyzeRegions(extraction.regions, {
      snapshot: change.previous,
      options,
      settings: settings.embedded,
    });
    if (signal?.aborted) return undefined;
    problems = markSchemaDrift(problems, before, change.at, driftSeverity);
  }
  // Row type annotations in TypeScript, judged by the live server's description (never executed).
  const describer =
    snapshot && /\.[cm]?tsx?$/.test(doc.uri)
      ? (session.connectionFor(doc.uri)?.describer ?? offlineDescriber(snapshot))
      : undefined;
  if (describer)
    problems.push(
      ...(await resultTypeMismatches(doc.text, extraction.regions, (text) =>
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

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return Math.max(1, nl < 0 ? Math.min(text.length, 200) : nl);
}
