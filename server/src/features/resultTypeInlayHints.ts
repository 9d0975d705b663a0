import { InlayHintKind, type Connection, type InlayHint, type ServerCapabilities } from 'vscode-languageserver';
import { describerFor } from '../resultTypes/offlineDescribe';
import type { DescribeCache } from '../resultTypes/describeCache';
import { rowFields, typescriptRowType } from '../resultTypes/rowType';
import { isHostDocument } from '../session/embeddedDocuments';
import { splitStatements } from '../sql/splitStatements';
import type { EditingServices } from './editingContext';

export const inlayHintsCapability: Pick<ServerCapabilities, 'inlayHintProvider'> = { inlayHintProvider: true };

/**
 * With `liveSchema.resultTypes.inlayHints` (off by default): after each static SQL string of one
 * statement in TS/JS, the row type its query returns, as described by the server (or the snapshot).
 */
export function registerResultTypeInlayHints(
  connection: Connection,
  services: EditingServices,
  cache: DescribeCache,
): void {
  connection.languages.inlayHint.on(async (params) => {
    const { session, documents, embedded } = services;
    await session.loaded;
    const document = documents.get(params.textDocument.uri);
    const uri = params.textDocument.uri;
    if (!document || !/\.[cm]?[jt]sx?$/.test(uri) || !isHostDocument(uri)) return [];
    if (!session.settingsFor(uri).resultTypes.inlayHints) return [];
    const source = session.connectionFor(uri);
    const snapshot = await source?.ready();
    const liveCheck = session.settingsFor(uri).validation.liveCheck;
    const describer = snapshot && describerFor(liveCheck, source?.describer, snapshot);
    if (!snapshot || !describer) return [];
    const extraction = await embedded.extraction(uri, document.version, document.getText(), {
      dialect: snapshot.dialect,
      snapshot,
      settings: session.settingsFor(uri).embedded,
    });
    const first = document.offsetAt(params.range.start);
    const last = document.offsetAt(params.range.end);
    const hints: InlayHint[] = [];
    for (const region of extraction.regions) {
      if (region.hostEnd < first || region.hostStart > last) continue;
      if (region.kind !== 'statement' || region.certainty !== 'static') continue;
      const statements = splitStatements(region.text, snapshot.dialect);
      if (statements.length !== 1 || statements[0].unterminated) continue;
      const description = await cache.describe(describer, snapshot, statements[0].text);
      const rowType = description && typescriptRowType(rowFields(description, snapshot.dialect));
      if (!rowType || description.columns.length === 0) continue;
      hints.push({
        position: document.positionAt(region.hostEnd),
        label: `→ ${rowType}`,
        kind: InlayHintKind.Type,
        paddingLeft: true,
      });
    }
    return hints;
  });
}
