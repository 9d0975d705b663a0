import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { Finding } from '../../server/src/sql/findings';
import { runCli } from './cli';
import { TestLanguageClient } from './lspClient';
import type { Settings } from './vscodeSettings';

/**
 * The oracle corpora through the user's paths: each statement written into files as users write
 * it (a `.sql` file, `pool.query('…')` and `` pool.query(`…`) `` in TypeScript, `cur.execute("""…""")`
 * in Python), checked by the language server over stdio and by the CLI as a process, and compared
 * with what the analyser says about the bare statement. The wrappers are made here, by escaping
 * the statement as the host language needs, so every SQL offset maps to a known host offset.
 */

export type Dialect = 'postgres' | 'mysql';
export type Wrapper = 'sql' | 'ts-quoted' | 'ts-template' | 'python';
export const WRAPPERS: readonly Wrapper[] = ['sql', 'ts-quoted', 'ts-template', 'python'];

/** Where one corpus statement sits in a written file. */
interface Placement {
  statement: number;
  /** Host offset of each SQL offset (one more entry than the statement has characters). */
  offsets: number[];
}

export interface WrappedFile {
  /** Path relative to the project folder. */
  file: string;
  languageId: string;
  text: string;
  placements: Placement[];
}

/** A blocking finding (error or warning) in host offsets. */
export interface HostFinding {
  code: string;
  start: number;
  end: number;
}

/** Escapes `sql` for a host string: `escape` gives the host text of one character, or undefined to keep it. */
function encode(sql: string, escape: (char: string, next: string, last: boolean) => string | undefined) {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < sql.length; i++) {
    offsets.push(text.length);
    text += escape(sql[i], sql[i + 1] ?? '', i === sql.length - 1) ?? sql[i];
  }
  offsets.push(text.length);
  return { text, offsets };
}

const CONTROL: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const quoted = (sql: string) =>
  encode(sql, (c) => (c === '\\' ? '\\\\' : c === "'" ? "\\'" : CONTROL[c] === undefined ? undefined : CONTROL[c]));
const template = (sql: string) =>
  encode(sql, (c, next) => (c === '\\' ? '\\\\' : c === '`' ? '\\`' : c === '$' && next === '{' ? '\\$' : undefined));
/** A triple-quoted Python string: a quote is escaped only where it would end the string. */
const tripleQuoted = (sql: string) =>
  encode(sql, (c, next, last) => (c === '\\' ? '\\\\' : c === '"' && (next === '"' || last) ? '\\"' : undefined));

const verbatim = (sql: string) => ({ text: sql, offsets: [...Array(sql.length + 1).keys()] });

/**
 * True when the statement leaves a quote or block comment open (by counting, without the code under
 * test): in a `.sql` file it would run on into the statements after it, as it does in psql and the
 * mysql client, so they would be judged as one.
 */
function runsOn(sql: string, dialect: Dialect): boolean {
  const odd = (token: string) => sql.split(token).length % 2 === 0;
  const quotes = dialect === 'postgres' ? ["'", '"', '$$'] : ["'", '"', '`'];
  return quotes.some(odd) || sql.split('/*').length !== sql.split('*/').length;
}

const HEADERS: Record<Dialect, { typescript: string[]; python: string[] }> = {
  postgres: {
    typescript: ["import pg from 'pg';", '', 'const pool = new pg.Pool();', ''],
    python: ['import psycopg2', '', ''],
  },
  mysql: {
    typescript: ["import mysql from 'mysql2/promise';", '', 'const pool = mysql.createPool({});', ''],
    python: ['import pymysql', '', ''],
  },
};

/** Builds one file: statements placed one after another between fixed host text. */
class FileBuilder {
  text = '';
  readonly placements: Placement[] = [];
  constructor(
    readonly file: string,
    readonly languageId: string,
  ) {}
  add(text: string): void {
    this.text += text;
  }
  place(statement: number, before: string, body: { text: string; offsets: number[] }, after: string): void {
    const at = this.text.length + before.length;
    this.placements.push({ statement, offsets: body.offsets.map((o) => o + at) });
    this.text += before + body.text + after;
  }
  build(): WrappedFile {
    return { file: this.file, languageId: this.languageId, text: this.text, placements: this.placements };
  }
}

/**
 * A MySQL statement with `$1` in code is a bound parameter there by design (Sequelize's `bind`
 * writes `$1` for MySQL too), while MariaDB reads `$1` in a `.sql` file as a column name: the two
 * paths rightly differ, so such statements are compared in `.sql` files only.
 */
function inCodeReadsOtherwise(sql: string, dialect: Dialect): boolean {
  return dialect === 'mysql' && /\$\d/.test(sql);
}

/** Writes `statements` into files of one wrapper, `perFile` statements a file. */
export function wrapCorpus(statements: string[], wrapper: Wrapper, dialect: Dialect, perFile = 80): WrappedFile[] {
  const files: WrappedFile[] = [];
  for (let first = 0; first < statements.length; first += perFile) {
    const part = statements
      .slice(first, first + perFile)
      .map((sql, i) => ({ sql, index: first + i }))
      .filter(({ sql }) => wrapper === 'sql' || !inCodeReadsOtherwise(sql, dialect));
    const name = `${wrapper}-${String(first / perFile + 1).padStart(2, '0')}`;
    if (wrapper === 'sql') {
      const file = new FileBuilder(`sql/${name}.sql`, 'sql');
      for (const { sql, index } of part) {
        if (!runsOn(sql, dialect)) file.place(index, '', verbatim(sql), ';\n');
        else {
          // A statement with an unclosed quote or comment gets a file of its own.
          const alone = new FileBuilder(`sql/${name}-alone-${index}.sql`, 'sql');
          alone.place(index, '', verbatim(sql), '\n');
          files.push(alone.build());
        }
      }
      files.push(file.build());
    } else if (wrapper === 'python') {
      const file = new FileBuilder(`src/${name}.py`, 'python');
      file.add([...HEADERS[dialect].python, 'def run(cur):', ''].join('\n'));
      for (const { sql, index } of part) file.place(index, '    cur.execute("""', tripleQuoted(sql), '""")\n');
      files.push(file.build());
    } else {
      const file = new FileBuilder(`src/${name}.ts`, 'typescript');
      file.add([...HEADERS[dialect].typescript, 'export async function run(): Promise<void> {', ''].join('\n'));
      for (const { sql, index } of part)
        if (wrapper === 'ts-quoted') file.place(index, "  await pool.query('", quoted(sql), "');\n");
        else file.place(index, '  await pool.query(`', template(sql), '`);\n');
      file.add('}\n');
      files.push(file.build());
    }
  }
  return files;
}

/** Writes the files under `folder`. */
export function writeWrapped(folder: string, files: WrappedFile[]): void {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(folder, f.file)), { recursive: true });
    writeFileSync(path.join(folder, f.file), f.text);
  }
}

/** Errors and warnings: severities 1 and 2 in LSP diagnostics, by name in the analyser's and the CLI's findings. */
export const blocking = <F extends { severity?: unknown }>(findings: F[]): F[] =>
  findings.filter((f) => f.severity === 'error' || f.severity === 'warning' || f.severity === 1 || f.severity === 2);

/** What the analyser says about each bare statement, in the host offsets of its placement. */
export function expectedInFile(file: WrappedFile, analysed: Finding[][]): Map<number, HostFinding[]> {
  const expected = new Map<number, HostFinding[]>();
  for (const p of file.placements)
    expected.set(
      p.statement,
      blocking(analysed[p.statement]).map((f) => ({ code: f.code, start: p.offsets[f.start], end: p.offsets[f.end] })),
    );
  return expected;
}

/** Sorts a path's findings by statement: the one whose host range holds the finding's start. */
function byStatement(
  file: WrappedFile,
  findings: HostFinding[],
): { found: Map<number, HostFinding[]>; stray: HostFinding[] } {
  const found = new Map<number, HostFinding[]>(file.placements.map((p) => [p.statement, []]));
  const stray: HostFinding[] = [];
  for (const f of findings) {
    const owner = file.placements.find((p) => p.offsets[0] <= f.start && f.start <= p.offsets[p.offsets.length - 1]);
    if (owner) found.get(owner.statement)!.push(f);
    else stray.push(f);
  }
  return { found, stray };
}

const key = (f: HostFinding) => `${f.code}@${f.start}-${f.end}`;

/**
 * Compares one path's blocking findings on a file with the analyser's, statement by statement.
 * Returns one line per disagreement (the statement, what the analyser said, what the path said).
 */
function disagreements(
  pathName: string,
  file: WrappedFile,
  statements: string[],
  analysed: Finding[][],
  findings: HostFinding[],
): string[] {
  const expected = expectedInFile(file, analysed);
  const { found, stray } = byStatement(file, findings);
  const lines: string[] = stray.map((f) => `${pathName} ${file.file}: ${key(f)} outside every statement`);
  for (const p of file.placements) {
    const want = expected.get(p.statement)!.map(key).sort();
    const got = found.get(p.statement)!.map(key).sort();
    if (want.join() === got.join()) continue;
    const show = (fs: string[]) => fs.join(' ') || 'nothing';
    lines.push(
      `${pathName} ${file.file}: ${statements[p.statement]}\n    analyser: ${show(want)}\n    ${pathName}: ${show(got)}`,
    );
  }
  return lines;
}

/** The corpus with the two reference verdicts: the analyser's findings and the database's acceptance. */
export interface JudgedCorpus {
  statements: string[];
  analysed: Finding[][];
  accepted: boolean[];
}

/** One path's disagreements with the analyser, and its errors on statements the database accepts, over all files. */
export function judgePath(
  pathName: string,
  files: WrappedFile[],
  corpus: JudgedCorpus,
  found: Map<string, HostFinding[]>,
): { disagreeing: string[]; falseErrors: number } {
  const disagreeing: string[] = [];
  let falseErrors = 0;
  for (const file of files) {
    const findings = found.get(file.file) ?? [];
    disagreeing.push(...disagreements(pathName, file, corpus.statements, corpus.analysed, findings));
    for (const p of file.placements) {
      const [start, end] = [p.offsets[0], p.offsets[p.offsets.length - 1]];
      if (corpus.accepted[p.statement] && findings.some((f) => start <= f.start && f.start <= end)) falseErrors++;
    }
  }
  return { disagreeing, falseErrors };
}

/** What a path with the live check (the default) did: it adds the database's word, never takes the analyser's away. */
export interface LiveJudgement {
  /** Errors or warnings on statements the database accepts. */
  falseErrors: string[];
  /** Analyser findings the path did not report. */
  lost: string[];
  rejected: number;
  /** Rejected statements the path reported an error or warning on. */
  flagged: number;
  /** Rejected statements it said nothing blocking on (printed, not asserted: the analyser may not model them). */
  unflagged: string[];
}

export function judgeLivePath(
  pathName: string,
  files: WrappedFile[],
  corpus: JudgedCorpus,
  found: Map<string, HostFinding[]>,
): LiveJudgement {
  const judgement: LiveJudgement = { falseErrors: [], lost: [], rejected: 0, flagged: 0, unflagged: [] };
  for (const file of files) {
    const expected = expectedInFile(file, corpus.analysed);
    const { found: byStatementFound, stray } = byStatement(file, found.get(file.file) ?? []);
    judgement.falseErrors.push(...stray.map((f) => `${pathName} ${file.file}: ${key(f)} outside every statement`));
    for (const p of file.placements) {
      const got = byStatementFound.get(p.statement)!;
      const line = () =>
        `${pathName} ${file.file}: ${corpus.statements[p.statement]}\n    ${pathName}: ${got.map(key).join(' ') || 'nothing'}`;
      if (corpus.accepted[p.statement]) {
        if (got.length > 0) judgement.falseErrors.push(line());
        continue;
      }
      judgement.rejected++;
      if (got.length > 0) judgement.flagged++;
      else judgement.unflagged.push(`${file.file}: ${corpus.statements[p.statement]}`);
      const keys = new Set(got.map(key));
      const missing = expected.get(p.statement)!.filter((f) => !keys.has(key(f)));
      if (missing.length > 0) judgement.lost.push(`${line()}\n    analyser also: ${missing.map(key).join(' ')}`);
    }
  }
  return judgement;
}

/** Offsets of each line start, to turn LSP positions into offsets. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Starts the language server on `folder` with `settings` and waits until its schema is loaded:
 * the first check of `probe` (a statement with an unknown column) waits for the schema, and
 * after it every pull answers from the loaded snapshot.
 */
export async function startLanguageServer(
  folder: string,
  settings: Settings,
  probe: string,
  passwords: Record<string, string> = {},
): Promise<TestLanguageClient> {
  const client = new TestLanguageClient(settings, passwords);
  await client.initialize(folder);
  const uri = await client.open(path.join(folder, 'probe.sql'), probe, 'sql');
  await client.diagnostics(uri, (d) => d.length > 0);
  await client.close(uri);
  return client;
}

/**
 * Opens each file in the language server (started by `startLanguageServer`) and returns its blocking diagnostics in host offsets, by file. Files are opened one at a
 * time and closed after, as a user going through them would.
 */
export async function throughLanguageServer(
  client: TestLanguageClient,
  folder: string,
  files: WrappedFile[],
): Promise<Map<string, HostFinding[]>> {
  const result = new Map<string, HostFinding[]>();
  for (const f of files) {
    const uri = await client.open(path.join(folder, f.file), f.text, f.languageId);
    const diagnostics: Diagnostic[] = await client.diagnostics(uri);
    const starts = lineStarts(f.text);
    result.set(
      f.file,
      blocking(diagnostics).map((d) => ({
        code: String(d.code),
        start: starts[d.range.start.line] + d.range.start.character,
        end: starts[d.range.end.line] + d.range.end.character,
      })),
    );
    await client.close(uri);
  }
  return result;
}

/** Runs `live-schema check sql src --format json [options]` in `folder` and returns its blocking findings by file. */
export async function throughCli(
  folder: string,
  files: WrappedFile[],
  options: string[] = [],
): Promise<Map<string, HostFinding[]>> {
  const run = await runCli(folder, ['check', 'sql', 'src', '--format', 'json', ...options], { timeout: 300_000 });
  if (run.stdout === '') throw new Error(`live-schema check printed nothing (exit ${run.code}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as {
    files: number;
    findings: (HostFinding & { file: string; severity: string })[];
  };
  if (report.files !== files.length) throw new Error(`the CLI checked ${report.files} files, not ${files.length}`);
  const result = new Map<string, HostFinding[]>(files.map((f) => [f.file, []]));
  for (const f of blocking(report.findings)) {
    const file = f.file.split(path.sep).join('/');
    if (!result.has(file)) throw new Error(`a finding in a file the test did not write: ${file}`);
    result.get(file)!.push({ code: f.code, start: f.start, end: f.end });
  }
  return result;
}
