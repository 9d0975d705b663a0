import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql } from '../sql/analyze';
import { finding, type Finding } from '../sql/findings';
import type { Session } from './session';

/** A document as the checker needs it: no editor types. */
export interface CheckableDocument {
  uri: string;
  languageId: string;
  text: string;
}

/** Whether a document is a SQL file Live Schema checks statement by statement. */
export function isSqlDocument(doc: { uri: string; languageId: string }): boolean {
  return doc.languageId === 'sql' || /\.sql$/i.test(doc.uri);
}

/**
 * Checks one SQL document against the schema of the connection bound to it. Without a snapshot
 * (no connection, database not answering yet) only syntax is checked. Documents over the size
 * limit get one Information finding instead, unless `force` asks for a check on demand.
 */
export async function checkSqlDocument(session: Session, doc: CheckableDocument, force = false): Promise<Finding[]> {
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
        Math.min(doc.text.length, firstLineEnd(doc.text)),
        `Not checked automatically: this file is ${size}, over liveSchema.validation.maxFileSizeKb (${settings.validation.maxFileSizeKb} KB). Run "Live Schema: Check This File" to check it now.`,
      ),
    ];
  }
  const source = session.connectionFor(doc.uri);
  const snapshot: SchemaSnapshot | undefined = source ? await source.ready() : undefined;
  const dialect: Dialect = snapshot?.dialect ?? (source?.settings.driver === 'mysql' ? 'mysql' : 'postgres');
  const result = await analyzeSql(doc.text, {
    dialect,
    snapshot,
    options: { severities: settings.validation.severity, ignoredNames: settings.validation.ignoredNames },
  });
  return result.findings;
}

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return Math.max(1, nl < 0 ? Math.min(text.length, 200) : nl);
}
