/**
 * Shared by the SQL → builder equivalence tests (any target): run the original statement on the
 * real database in a rolled-back transaction, put rows into a comparable form, compare the SQL a
 * builder compiled to with the original's tokens, and import generated code as a TypeScript module.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Case } from '../fixtures/migrate/postgresCorpus';

export type Row = Record<string, unknown>;

/** What a statement leaves behind: its rows and, with a `check` query, the table state afterwards. */
export interface Outcome {
  rows: string[];
  state: string[];
}

/** True when the statement fixes the order of its rows. */
export function isOrdered(sql: string): boolean {
  return /\border by\b/i.test(sql);
}

/** True when the statement returns rows (a SELECT, or a data change with RETURNING). */
export function returnsRows(sql: string): boolean {
  return /^\s*select\b|\breturning\b/i.test(sql);
}

/** Rows in a comparable form; sorted when the statement leaves the order open. */
export function comparable(rows: Row[], ordered: boolean): string[] {
  const lines = rows.map((row) =>
    JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
  );
  return ordered ? lines : lines.sort();
}

/** The outcome of rows a statement returned and the rows its `check` read, in comparable form. */
export function outcome(entry: Case, rows: Row[], state: Row[]): Outcome {
  return { rows: comparable(rows, isOrdered(entry.sql)), state: comparable(state, true) };
}

/**
 * SQL reduced to its tokens: quoting (double quotes and backticks), parentheses, AS, constants and
 * placeholders (`$n`, `?`) erased, so a builder's compiled SQL compares with the original's.
 */
export function shape(text: string): string {
  const tokens =
    text
      .toLowerCase()
      .match(/'(?:[^']|'')*'|"[^"]*"|`[^`]*`|\$\d+|\d+(?:\.\d+)?|[a-z_][a-z0-9_]*|<>|<=|>=|!=|\|\||\S/g) ?? [];
  return tokens
    .map((token) => {
      if (/^'|^\$|^\?$|^\d|^(true|false|null)$/.test(token)) return '?';
      return /^["`]/.test(token) ? token.slice(1, -1) : token.replace('!=', '<>');
    })
    .filter((token) => !['(', ')', 'as', 'inner', 'outer', ';'].includes(token))
    .join(' ');
}

/** Runs the original statement and its check on PostgreSQL in a transaction that is rolled back. */
export async function runOriginalPostgres(pool: pg.Pool, entry: Case): Promise<Outcome> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const rows = (await client.query(entry.sql, entry.params ?? [])).rows as Row[];
    const state = entry.check ? ((await client.query(entry.check)).rows as Row[]) : [];
    return outcome(entry, rows, state);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** Runs the original statement and its check on MySQL/MariaDB in a transaction that is rolled back. */
export async function runOriginalMysql(pool: mysql.Pool, entry: Case): Promise<Outcome> {
  const connection = await pool.getConnection();
  const rowsOf = (result: unknown): Row[] => (Array.isArray(result) ? (result as Row[]) : []);
  try {
    await connection.query('BEGIN');
    const [rows] = await connection.query(entry.sql, entry.params ?? []);
    const state = entry.check ? rowsOf((await connection.query(entry.check))[0]) : [];
    return outcome(entry, rowsOf(rows), state);
  } finally {
    await connection.query('ROLLBACK').catch(() => undefined);
    connection.release();
  }
}

/**
 * Writes generated code into TypeScript modules in a temporary folder and imports them; the folder
 * links the project's node_modules, so the modules import the real packages (`kysely`, `knex`).
 */
export class ModuleLoader {
  private directory: string | undefined;
  private count = 0;

  constructor(private readonly prefix: string) {}

  /** Writes `source` into a fresh module and returns its default export. */
  async load<T>(source: string): Promise<T> {
    if (!this.directory) {
      this.directory = mkdtempSync(join(tmpdir(), this.prefix));
      symlinkSync(resolve('node_modules'), join(this.directory, 'node_modules'), 'dir');
    }
    const file = join(this.directory, `query${++this.count}.ts`);
    writeFileSync(file, source);
    return ((await import(pathToFileURL(file).href)) as { default: T }).default;
  }

  dispose(): void {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
  }
}
