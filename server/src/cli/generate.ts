import path from 'node:path';
import { SchemaModuleError, schemaModuleText, writeSchemaModule } from '../migrate/schemaModule/writeSchemaModule';
import { parseCommandArgs } from './commandArgs';
import { UsageError } from './config';
import { readSchema } from './schemaSource';

const USAGE =
  'usage: live-schema generate [--language typescript|python] [--out FILE] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--config FILE] [--root DIR]';

/**
 * `live-schema generate`: writes the schema module (Kysely `DB` interface and name constants, or
 * SQLAlchemy tables) from the schema, to the path the settings name or `--out`. A file there that
 * Live Schema did not generate is left alone (exit 2). Exit 0 written or already current.
 */
export async function runGenerate(args: string[]): Promise<number> {
  try {
    return await generate(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof SchemaModuleError) {
      process.stderr.write(`live-schema generate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function generate(args: string[]): Promise<number> {
  const { values, root } = parseCommandArgs(args, USAGE, {
    language: { type: 'string', default: 'typescript' },
    out: { type: 'string' },
  });
  const language = values.language;
  if (language !== 'typescript' && language !== 'python')
    throw new UsageError(`--language must be typescript or python, got "${language}"`);
  const cwd = process.cwd();
  const { settings, snapshot } = await readSchema(values, root, 'generate');
  const configured =
    language === 'python' ? settings.migrations.pythonSchemaModule : settings.migrations.typescriptSchemaModule;
  const file = values.out === undefined ? path.resolve(root, configured) : path.resolve(cwd, values.out);
  // `--out` is the user's word, wherever it points; the configured path is the repository's.
  const allowedRoot = values.out === undefined ? root : path.dirname(file);
  const source = values.connection ?? settings.connections[0]?.name ?? 'embedded';
  const text = schemaModuleText(snapshot, language, source);
  const written = await writeSchemaModule(allowedRoot, file, text);
  const relations = snapshot.relations.length;
  process.stdout.write(
    `${written ? 'Wrote' : 'Already current:'} ${path.relative(cwd, file) || file} (${relations} tables and views).\n`,
  );
  return 0;
}
