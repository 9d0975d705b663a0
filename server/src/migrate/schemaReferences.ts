/**
 * Hard-coded table and column names in code → references into the generated schema module
 * (`tables.orders.columns.email` in TS/JS, `db_schema.orders.c.email.name` in Python), so a schema
 * change shows up where the name is used. Only a reference whose value is exactly the literal's
 * is offered: the program keeps passing the same string.
 */
import path from 'node:path';
import type { HostLanguage } from '../embedded/extract';
import type { StaticDependency } from '../embedded/staticReferences';
import type { SchemaSnapshot } from '../schema/snapshot';
import type { FileEdit } from './journal/entry';
import { pythonCollectionMember, pythonTableReference } from './schemaModule/pythonNames';
import { propertyKey, tableKeys } from './schemaModule/typescriptModule';

export interface SchemaReferenceRequest {
  /** Journal path of the file, and its absolute path (relative imports are computed from it). */
  file: string;
  fileName: string;
  text: string;
  language: HostLanguage;
  snapshot: SchemaSnapshot;
  dependency: StaticDependency;
  /** Absolute path of the generated module. */
  moduleFile: string;
  /** The Python module path the generated module is imported by (`app.db_schema`). */
  pythonModule: string;
}

export type SchemaReference = { title: string; edits: FileEdit[] } | { refused: string };

export function schemaReference(request: SchemaReferenceRequest): SchemaReference {
  const { text, dependency } = request;
  if (dependency.code !== 'hardcoded-table' && dependency.code !== 'hardcoded-column')
    return { refused: 'only a hard-coded table or column name is replaced' };
  const quote = text[dependency.start - 1];
  const value = text.slice(dependency.start, dependency.end);
  if (!quote || !`'"\``.includes(quote) || text[dependency.end] !== quote || /[\\$]/.test(value))
    return { refused: 'the name is not a plain string literal' };
  const { schema, table, column } = dependency.element;
  const relation = request.snapshot.relations.find((r) => r.schema === schema && r.name === table);
  if (!relation) return { refused: `${schema}.${table} is not in the schema` };
  const reference =
    request.language === 'python'
      ? pythonReference(request, relation, column)
      : typescriptReference(request, relation, column);
  if (reference.value !== value)
    return { refused: `the module spells it "${reference.value}", not "${value}"; the string would change` };
  const edits: FileEdit[] = [
    {
      file: request.file,
      start: dependency.start - 1,
      end: dependency.end + 1,
      originalText: `${quote}${value}${quote}`,
      newText: reference.code,
    },
  ];
  const importLine = reference.importLine;
  if (!text.includes(importLine.trim())) {
    const offset = importOffset(text, request.language);
    edits.unshift({ file: request.file, start: offset, end: offset, originalText: '', newText: importLine });
  }
  return { title: `Use the schema module: ${reference.code}`, edits };
}

function typescriptReference(
  request: SchemaReferenceRequest,
  relation: { schema: string; name: string },
  column: string | undefined,
): { code: string; value: string; importLine: string } {
  const key = tableKeys(request.snapshot)(relation);
  const member = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${propertyKey(name)}]`);
  const code = `tables${member(key)}${column === undefined ? '.name' : `.columns${member(column)}`}`;
  let specifier = path.relative(path.dirname(request.fileName), request.moduleFile).split(path.sep).join('/');
  specifier = specifier.replace(/\.(ts|mts|js|mjs)$/, '');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return { code, value: column ?? key, importLine: `import { tables } from '${specifier}';\n` };
}

function pythonReference(
  request: SchemaReferenceRequest,
  relation: { schema: string; name: string },
  column: string | undefined,
): { code: string; value: string; importLine: string } {
  const dot = request.pythonModule.lastIndexOf('.');
  const alias = request.pythonModule.slice(dot + 1);
  const bare = tableKeys(request.snapshot)(relation) === relation.name;
  const table = pythonTableReference(alias, bare ? undefined : relation.schema, relation.name);
  const code = column === undefined ? `${table}.name` : `${pythonCollectionMember(`${table}.c`, column)}.name`;
  const importLine = dot < 0 ? `import ${alias}\n` : `from ${request.pythonModule.slice(0, dot)} import ${alias}\n`;
  return { code, value: column ?? relation.name, importLine };
}

/** After the last import at the top of the file (0 without any). */
function importOffset(text: string, language: HostLanguage): number {
  const pattern = language === 'python' ? /^(?:import|from)\s[^\n]*\n/gm : /^import\s[^;]*;?[^\n]*\n/gm;
  let offset = 0;
  for (const match of text.matchAll(pattern)) offset = match.index + match[0].length;
  return offset;
}
