/**
 * Plans the migration of one host file: every SQL template it passes to a query call becomes
 * builder code that compiles to the same statement, or is refused with the reason. Nothing is
 * written here; the edits are journaled and applied by the caller (language server or CLI).
 */
import { extractEmbedded, hostLanguageOf } from '../embedded/extract';
import { pythonParser, type PythonParserLocation } from '../embedded/pythonParser';
import type { SqlRegion } from '../embedded/region';
import type { Dialect } from '../schema/snapshot';
import type { BuilderTarget, ImportNeed } from './builderTarget';
import type { CallSiteResult } from './callSite/callSite';
import { javascriptCallSites } from './callSite/javascriptCallSite';
import { loadJavaScriptParser } from '../embedded/parseJavaScript';
import { pythonCallSites } from './callSite/pythonCallSite';
import { generateBuilder } from './generators';
import { importLines, rewriteCall, type CallRewrite } from './hostRewrite';
import type { FileEdit } from './journal/entry';
import { regionStatement } from './regionStatement';

export interface FileMigrationRequest {
  /** The path the journal records (relative to the project root). */
  file: string;
  /** The name the host language is judged by (its extension). */
  fileName: string;
  text: string;
  dialect: Dialect;
  target: BuilderTarget;
  /** The builder instance the generated code calls (`db`, `knex`, the Python schema module). */
  instance: string;
  /** Where the instance is imported from, when the file does not bind it yet. */
  instanceImport?: ImportNeed;
  /** Only the SQL string at this offset; all of the file's otherwise. */
  at?: number;
  python?: PythonParserLocation;
}

export interface Refusal {
  /** Where the SQL string starts in the file. */
  offset: number;
  reason: string;
}

export interface FileMigrationPlan {
  edits: FileEdit[];
  converted: number;
  refusals: Refusal[];
}

export async function planFileMigration(request: FileMigrationRequest): Promise<FileMigrationPlan> {
  const { text } = request;
  const extraction = await extractEmbedded(request.fileName, text, { dialect: request.dialect });
  const python = extraction.language === 'python';
  if (!extraction.language) return { edits: [], converted: 0, refusals: [] };
  if ((request.target === 'sqlalchemy') !== python) {
    const reason = python ? 'Python code migrates to SQLAlchemy Core' : 'SQLAlchemy Core is for Python code';
    return { edits: [], converted: 0, refusals: [{ offset: 0, reason }] };
  }
  const regions = extraction.regions.filter(
    (r) =>
      r.kind === 'statement' && (request.at === undefined || (r.hostStart <= request.at && request.at <= r.hostEnd)),
  );
  const rewrites: CallRewrite[] = [];
  const refusals: Refusal[] = [];
  const usedNames = new Set<string>();
  let bound = new Set<string>();
  let importOffset = 0;
  if (!python) await loadJavaScriptParser();
  const sites = python
    ? pythonCallSites(await pythonParser(request.python), text)
    : javascriptCallSites(request.fileName, text);
  try {
    for (const region of regions) {
      const site = sites.find(region.hostStart, region.hostEnd);
      const rewrite = await rewriteRegion(region, site, request, usedNames);
      if ('refused' in rewrite) {
        refusals.push({ offset: region.hostStart, reason: rewrite.refused });
        continue;
      }
      if (rewrites.some((other) => overlaps(other, rewrite))) {
        refusals.push({ offset: region.hostStart, reason: 'another query in the same statement is migrated already' });
        continue;
      }
      rewrites.push(rewrite);
      if (!('refused' in site)) ({ boundNames: bound, importOffset } = site);
    }
  } finally {
    sites.dispose();
  }
  const edits = withImports(request, rewrites, bound, importOffset, python);
  return { edits, converted: rewrites.length, refusals };
}

async function rewriteRegion(
  region: SqlRegion,
  site: CallSiteResult,
  request: FileMigrationRequest,
  usedNames: Set<string>,
): Promise<CallRewrite | { refused: string }> {
  if ('refused' in site) return site;
  const configKey = region.dialect === 'postgres' ? 'text' : 'sql';
  if (site.configKey && site.configKey !== configKey)
    return {
      refused: `the config object holds the SQL under ${site.configKey}, but ${region.dialect === 'postgres' ? "node-postgres reads 'text'" : "mysql2 reads 'sql'"}`,
    };
  const language = hostLanguageOf(request.fileName);
  // mysql2's `execute` runs a prepared statement: it binds each value with its JavaScript type.
  const typedParameters = language !== 'python' && region.dialect === 'mysql' && site.callee.endsWith('execute');
  const statement = regionStatement(region, request.text, site.values, typedParameters);
  if ('refused' in statement) return statement;
  const builder = await generateBuilder(request.target, statement.sql, {
    dialect: statement.dialect,
    parameters: statement.parameters,
    valuesOnly: statement.valuesOnly,
    instance: request.instance,
    ...(language ? { language } : {}),
    typedParameters,
  });
  if ('refused' in builder) return builder;
  return rewriteCall(request.text, site, request.target, builder, statement.dialect, usedNames);
}

/** The rewrites as journal edits, with the imports they need inserted once (merged into an edit starting there). */
function withImports(
  request: FileMigrationRequest,
  rewrites: CallRewrite[],
  bound: Set<string>,
  importOffset: number,
  python: boolean,
): FileEdit[] {
  if (rewrites.length === 0) return [];
  const needs = rewrites.flatMap((r) => r.imports);
  if (request.instanceImport) needs.push(request.instanceImport);
  // Generated text takes the file's line ending, so a CRLF file stays CRLF throughout.
  const eol = request.text.includes('\r\n') ? '\r\n' : '\n';
  const lines = importLines(needs, bound, python);
  const imports = lines && (lines + blankLinesBefore(request.text.slice(importOffset), python)).replace(/\r?\n/g, eol);
  const edits: FileEdit[] = rewrites
    .flatMap((r) => r.ranges)
    .sort((a, b) => a.start - b.start)
    .map((r) => ({
      file: request.file,
      start: r.start,
      end: r.end,
      originalText: request.text.slice(r.start, r.end),
      newText: r.newText.replace(/\r?\n/g, eol),
    }));
  if (!imports) return edits;
  const sharing = edits.find((edit) => edit.start === importOffset);
  if (sharing) sharing.newText = imports + sharing.newText;
  else
    edits.unshift({ file: request.file, start: importOffset, end: importOffset, originalText: '', newText: imports });
  return edits.sort((a, b) => a.start - b.start);
}

function overlaps(a: CallRewrite, b: CallRewrite): boolean {
  return a.ranges.some((x) => b.ranges.some((y) => x.start < y.end && y.start < x.end));
}

/** The blank lines new imports need before the code that follows them (none before more imports or a blank line). */
function blankLinesBefore(following: string, python: boolean): string {
  const next = /^[^\r\n]*/.exec(following)?.[0] ?? '';
  if (next.trim() === '' || /^\s*(import|from)\b/.test(next)) return '';
  return python && /^(async\s+def|def|class|@)/.test(next) ? '\n\n' : '\n';
}
