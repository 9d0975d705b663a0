/**
 * Schema modules in the language server: Generate Schema Module for a connection, and (when the
 * folder opts in) regeneration of the modules that exist after the schema changed, so code using
 * a dropped column stops compiling.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  isGeneratedModule,
  schemaModuleText,
  writeSchemaModule,
  type SchemaModuleLanguage,
} from '../migrate/schemaModule/writeSchemaModule';
import type { ConnectionSource } from './connectionSource';
import type { Session } from './session';

const LANGUAGES: SchemaModuleLanguage[] = ['typescript', 'python'];

function moduleFile(
  session: Session,
  source: ConnectionSource,
  language: SchemaModuleLanguage,
): { root: string; file: string } | undefined {
  const root = session.folderRootOf(source);
  if (!root) return undefined;
  const settings = session.settingsOf(source).migrations;
  const file = path.join(root, language === 'python' ? settings.pythonSchemaModule : settings.typescriptSchemaModule);
  return { root, file };
}

/** Writes the module for a connection (the first one when the name is empty); returns its URI. */
export async function generateSchemaModule(
  session: Session,
  connectionName: string,
  language: SchemaModuleLanguage,
): Promise<string> {
  await session.loaded;
  const source = connectionName ? session.connection(connectionName) : session.folderConnections()[0];
  if (!source)
    throw new Error(connectionName ? `There is no connection "${connectionName}".` : 'There is no connection.');
  const snapshot = await source.ready();
  if (!snapshot)
    throw new Error(`The schema of ${source.name} is not known yet: ${source.status().message ?? 'not connected'}.`);
  const target = moduleFile(session, source, language);
  if (!target) throw new Error(`${source.name} belongs to no workspace folder.`);
  await writeSchemaModule(target.root, target.file, schemaModuleText(snapshot, language, source.name));
  return pathToFileURL(target.file).toString();
}

/** After a schema change: rewrite the modules of that connection's folder that Live Schema generated. */
export async function regenerateSchemaModules(session: Session, source: ConnectionSource): Promise<string[]> {
  if (!session.settingsOf(source).migrations.regenerateSchemaModule) return [];
  const snapshot = source.snapshot;
  if (!snapshot || session.folderConnections().every((c) => c !== source)) return [];
  const written: string[] = [];
  for (const language of LANGUAGES) {
    const target = moduleFile(session, source, language);
    if (target && (await isGeneratedModule(target.root, target.file))) {
      const text = schemaModuleText(snapshot, language, source.name);
      if (await writeSchemaModule(target.root, target.file, text)) written.push(target.file);
    }
  }
  return written;
}
