import type { Connection } from 'vscode-languageserver';
import { GetVirtualDocument } from '../protocol/customMessages';
import { relationDdl } from '../schema/ddl';
import type { Relation, SchemaSnapshot } from '../schema/snapshot';
import type { Session } from '../session/session';

/** Read-only documents holding generated DDL: `live-schema-ddl:/<connection>/<schema>/<relation>.sql`. */
export const DDL_SCHEME = 'live-schema-ddl';

export function ddlUri(connection: string, relation: Relation): string {
  return `${DDL_SCHEME}:/${[connection, relation.schema, relation.name].map(encodeURIComponent).join('/')}.sql`;
}

/** The DDL behind a `live-schema-ddl:` URI, or null when the connection or relation is gone. */
export async function resolveDdl(session: Session, uri: string) {
  const match = new RegExp(`^${DDL_SCHEME}:/([^/]+)/([^/]+)/([^/]+)\\.sql$`).exec(uri);
  if (!match) return null;
  await session.loaded;
  const [connection, schema, name] = match.slice(1).map((part) => decodeURIComponent(part));
  const snapshot: SchemaSnapshot | undefined = await session.connection(connection)?.ready();
  const relation = snapshot?.relations.find((r) => r.schema === schema && r.name === name);
  return snapshot && relation ? relationDdl(snapshot, relation) : null;
}

export function registerVirtualDocuments(connection: Connection, session: Session): void {
  connection.onRequest(GetVirtualDocument.type, async ({ uri }) => (await resolveDdl(session, uri))?.text ?? null);
}
