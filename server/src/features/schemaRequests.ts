import type { Connection } from 'vscode-languageserver';
import {
  ConnectionStatusChanged,
  FindSchemaElement,
  GetConnectionStatus,
  GetSchemaTree,
  MAX_BROKEN_REFERENCES,
  RefreshSchema,
  SchemaChanged,
  type SchemaTreeSchema,
} from '../protocol/customMessages';
import { searchSchema } from '../schema/schemaSearch';
import { isTableOrView, type SchemaSnapshot } from '../schema/snapshot';
import type { SchemaChangeReport } from '../session/schemaChange';
import type { Session } from '../session/session';
import { toBrokenReference } from './references';

/** Custom requests behind the client's status bar and Schema Explorer. */
export function registerSchemaRequests(connection: Connection, session: Session): void {
  connection.onRequest(GetConnectionStatus.type, async () => {
    await session.loaded;
    return { connections: session.statuses() };
  });

  connection.onRequest(GetSchemaTree.type, async ({ connection: name }) => {
    await session.loaded;
    const source = session.connection(name);
    if (!source) return null;
    const snapshot = await source.ready();
    return { status: source.status(), schemas: snapshot ? schemaTree(snapshot) : [] };
  });

  connection.onRequest(FindSchemaElement.type, async ({ query }) => {
    await session.loaded;
    const matches = [];
    for (const source of session.allConnections()) {
      const snapshot = await source.ready();
      if (!snapshot) continue;
      for (const m of searchSchema(snapshot, query, session.settingsOf(source).search.synonyms)) {
        matches.push({
          connection: source.name,
          schema: m.schema,
          relation: m.table,
          column: m.column ?? null,
          reason: m.reason,
          score: m.score,
        });
      }
    }
    return { matches: matches.sort((a, b) => a.score - b.score) };
  });

  connection.onRequest(RefreshSchema.type, async ({ connection: name }) => {
    await session.loaded;
    const targets =
      name === undefined ? session.allConnections() : [session.connection(name)].filter((c) => c !== undefined);
    await Promise.all(targets.map((c) => c.refresh()));
    return { connections: session.statuses() };
  });
}

/** Tells the client every connection's state; sent on each state change. */
export function publishConnectionStatus(connection: Connection, session: Session): void {
  void connection.sendNotification(ConnectionStatusChanged.type, { connections: session.statuses() });
}

/** Tells the client how the schema changed and which references broke (the first `MAX_BROKEN_REFERENCES`). */
export function publishSchemaChange(connection: Connection, report: SchemaChangeReport): void {
  const { broken } = report;
  void connection.sendNotification(SchemaChanged.type, {
    connection: report.connection,
    changes: report.changes,
    broken:
      broken === undefined
        ? null
        : { total: broken.length, references: broken.slice(0, MAX_BROKEN_REFERENCES).map(toBrokenReference) },
  });
}

function schemaTree(snapshot: SchemaSnapshot): SchemaTreeSchema[] {
  return snapshot.schemas.map((schema) => ({
    name: schema.name,
    relations: snapshot.relations
      .filter((r) => r.schema === schema.name && isTableOrView(r))
      .map((r) => ({
        name: r.name,
        kind: r.kind,
        comment: r.comment,
        columns: r.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          primaryKey: r.primaryKey?.columns.includes(c.name) ?? false,
          comment: c.comment,
        })),
        foreignKeys: r.foreignKeys.map(
          (fk) =>
            `${fk.name}: (${fk.columns.join(', ')}) → ${fk.referencedSchema}.${fk.referencedTable} (${fk.referencedColumns.join(', ')})`,
        ),
        indexes: r.indexes.map((i) => `${i.name}${i.unique ? ' (unique)' : ''}`),
      })),
  }));
}
