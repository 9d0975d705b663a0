/**
 * Which connections a project folder uses, decided once for the editor, the CLI and MCP: the
 * configured ones, else the embedded PostgreSQL built from the project's own schema files.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseConnection, type ConnectionSettings } from '../config/connectionSettings';
import type { LiveSchemaSettings } from '../config/settings';
import { describeSettingsErrors } from './settingsErrors';

/** Where a project keeps the schema files the embedded connection is built from by default. */
const SCHEMA_FILE_ENTRIES = ['schema.sql', 'db', 'migrations'];

/** The embedded connection: PGlite built from `schemaFiles` globs (the default ones when omitted). */
export function embeddedConnection(schemaFiles?: string[]): ConnectionSettings {
  const parsed = parseConnection(
    { name: 'embedded', driver: 'pglite', ...(schemaFiles && { schemaFiles }) },
    process.env,
    'liveSchema.connections',
  );
  // A fixed, valid literal: only a change of the settings schema could make it fail.
  if ('errors' in parsed) throw new Error(describeSettingsErrors(parsed.errors));
  return parsed.connection;
}

/** The configured connections, or the embedded one when the folder has schema files, or none. */
export function connectionsFor(settings: LiveSchemaSettings, root: string): ConnectionSettings[] {
  if (settings.connections.length > 0) return settings.connections;
  const hasSchemaFiles = SCHEMA_FILE_ENTRIES.some((entry) => existsSync(path.join(root, entry)));
  return hasSchemaFiles ? [embeddedConnection()] : [];
}
