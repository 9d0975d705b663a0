import type { Connection } from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import {
  FindSchemaReferences,
  GetStaticDependencies,
  ScanWorkspace,
  StaticDependenciesChanged,
  type StaticDependency,
} from '../protocol/customMessages';
import type { Session } from '../session/session';
import type { WorkspaceIndexes } from '../session/workspaceIndexes';
import { toLocation } from './references';

/** Scan Workspace, the Static Dependencies view and the explorer's Find References. */
export function registerIndexRequests(connection: Connection, session: Session, indexes: WorkspaceIndexes): void {
  connection.onRequest(ScanWorkspace.type, async () => {
    await session.loaded;
    let files = 0;
    for (const source of session.folderConnections()) files += (await indexes.rescan(source))?.indexed ?? 0;
    return { files, dependencies: dependencies(indexes).length };
  });

  connection.onRequest(GetStaticDependencies.type, async () => {
    await session.loaded;
    await indexes.buildAll();
    return { dependencies: dependencies(indexes) };
  });

  connection.onRequest(FindSchemaReferences.type, async (params) => {
    await session.loaded;
    const index = await indexes.indexFor(session.connection(params.connection));
    const element = params.column
      ? { kind: 'column' as const, schema: params.schema, table: params.relation, column: params.column }
      : { kind: 'relation' as const, schema: params.schema, table: params.relation };
    return { locations: index?.referencesTo(element).map(toLocation) ?? [] };
  });
}

/** Tells the client its Static Dependencies view is out of date. */
export function publishIndexChanged(connection: Connection): void {
  void connection.sendNotification(StaticDependenciesChanged.type);
}

function dependencies(indexes: WorkspaceIndexes): StaticDependency[] {
  return indexes.all().flatMap((index) =>
    index.staticDependencies().flatMap((group) =>
      group.files.flatMap((file) =>
        file.dependencies.map((d) => ({
          code: d.code,
          message: d.message,
          uri: pathToFileURL(file.file).href,
          range: d.range,
          migratable: false,
        })),
      ),
    ),
  );
}
