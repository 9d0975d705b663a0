/**
 * Which builder a file migrates to, and how the generated code reaches it: the setting when it
 * names one, else what the project depends on (package.json), else Kysely. Python always
 * migrates to SQLAlchemy Core, through the generated schema module.
 */
import { readFile } from 'node:fs/promises';
import type { LiveSchemaSettings } from '../config/settings';
import type { HostLanguage } from '../embedded/extract';
import type { BuilderTarget, ImportNeed } from './builderTarget';
import { realPathInside } from '../workspace/realPathInside';

export interface MigrationTargetChoice {
  target: BuilderTarget;
  instance: string;
  instanceImport?: ImportNeed;
}

export async function chooseTarget(
  projectRoot: string,
  language: HostLanguage,
  settings: LiveSchemaSettings['migrations'],
): Promise<MigrationTargetChoice> {
  if (language === 'python') {
    const module = pythonModuleName(settings.pythonSchemaModule);
    const [parent, name] = splitLast(module);
    return { target: 'sqlalchemy', instance: name, instanceImport: { module: parent, name } };
  }
  const target = settings.target === 'auto' ? await projectBuilder(projectRoot) : settings.target;
  const instance = settings.builderInstance || (target === 'knex' ? 'knex' : 'db');
  const importable = /^[A-Za-z_$][\w$]*$/.test(instance);
  return {
    target,
    instance,
    ...(settings.builderImport && importable
      ? { instanceImport: { module: settings.builderImport, name: instance } }
      : {}),
  };
}

/** `app/db_schema.py` → `app.db_schema`. */
export function pythonModuleName(file: string): string {
  return file.replace(/\.py$/, '').split(/[\\/]/).join('.');
}

function splitLast(dotted: string): [string, string] {
  const dot = dotted.lastIndexOf('.');
  return dot < 0 ? ['', dotted] : [dotted.slice(0, dot), dotted.slice(dot + 1)];
}

async function projectBuilder(projectRoot: string): Promise<BuilderTarget> {
  try {
    // A package.json that links outside the project is refused like any other repository path.
    const manifest = JSON.parse(await readFile(await realPathInside(projectRoot, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    const dependencies = { ...manifest.devDependencies, ...manifest.dependencies };
    if ('kysely' in dependencies) return 'kysely';
    if ('knex' in dependencies) return 'knex';
  } catch {
    // No readable package.json inside the project: fall back to the default.
  }
  return 'kysely';
}
