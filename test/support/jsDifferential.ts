/**
 * The differential check of the JavaScript targets (Kysely, Knex): each generated statement runs as
 * the application runs it (the driver method the file calls, with the host values it passes), then
 * its migration runs the way the migrated file does — the builder code evaluated as JavaScript, or
 * as TypeScript stripped of its types, compiled, and handed to the same driver method. What the
 * user's code receives is compared: field names, values with their runtime types, the row order
 * where the statement fixes it, the row count of writes and the table state afterwards.
 */
import { Kysely, MysqlDialect, PostgresDialect, sql as kyselySql, type CompiledQuery } from 'kysely';
import knexFactory, { type Knex } from 'knex';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import ts from 'typescript';
import type { BuilderConversion, GenerateOptions } from '../../server/src/migrate/builderTarget';
import { convertSqlToKnex } from '../../server/src/migrate/knex/generateKnex';
import { generateKysely } from '../../server/src/migrate/kysely/generateKysely';
import type { Dialect } from '../../server/src/schema/snapshot';
import type { GeneratedStatement } from './sqlGenerator/jsStatements';

export type JsTarget = 'kysely' | 'knex';
export type DriverMethod = 'client.query' | 'connection.query' | 'connection.execute';
export type HostLanguage = 'javascript' | 'typescript';

/** What the user's code receives from one call, or the error it throws. */
type Received = { fields: string[]; rows: string[]; count: number | null; state: string[] } | { error: string };

/** Runs SQL text and values with the driver method of the user's file, in a transaction rolled back. */
export interface Runner {
  dialect: Dialect;
  run(
    method: DriverMethod,
    text: string,
    values: unknown[],
    check: string | undefined,
    ordered: boolean,
  ): Promise<Received>;
  /** Runs the user's own code, handed the driver connection (what `run` does with a call it writes itself). */
  runCall(call: (driver: unknown) => Promise<unknown>, check: string | undefined, ordered: boolean): Promise<Received>;
}

/** A value as the user's code sees it: its runtime type and its text. */
function typed(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value instanceof Date) return `Date:${value.toISOString()}`;
  if (Buffer.isBuffer(value)) return `Buffer:${value.toString('hex')}`;
  if (typeof value === 'object') return `${value.constructor.name}:${JSON.stringify(value)}`;
  return `${typeof value}:${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`;
}

/** Rows as the user's code sees them, one line per row; sorted unless the statement fixes their order. */
export function rowsOf(rows: Record<string, unknown>[], ordered: boolean): string[] {
  const lines = rows.map((row) =>
    Object.entries(row)
      .map(([key, value]) => `${key}=${typed(value)}`)
      .join(', '),
  );
  return ordered ? lines : lines.sort();
}

export function postgresRunner(client: pg.PoolClient): Runner {
  const runner: Runner = {
    dialect: 'postgres',
    run: (_method, text, values, check, ordered) => runner.runCall(() => client.query(text, values), check, ordered),
    async runCall(call, check, ordered) {
      await client.query('begin');
      try {
        const result = (await call(client)) as pg.QueryResult;
        const state = check ? (await client.query(check)).rows : [];
        return {
          fields: result.fields.map((field) => field.name),
          rows: rowsOf(result.rows as Record<string, unknown>[], ordered),
          count: result.command === 'SELECT' ? null : result.rowCount,
          state: rowsOf(state as Record<string, unknown>[], true),
        };
      } catch (error) {
        return { error: (error as Error).message };
      } finally {
        await client.query('rollback');
      }
    },
  };
  return runner;
}

export function mysqlRunner(connection: mysql.PoolConnection): Runner {
  const runner: Runner = {
    dialect: 'mysql',
    run: (method, text, values, check, ordered) =>
      runner.runCall(
        () =>
          method === 'connection.execute' ? connection.execute(text, values as never) : connection.query(text, values),
        check,
        ordered,
      ),
    async runCall(call, check, ordered) {
      await connection.query('begin');
      try {
        const [result, fields] = (await call(connection)) as [unknown, mysql.FieldPacket[] | undefined];
        const state = check ? ((await connection.query(check))[0] as Record<string, unknown>[]) : [];
        const isRows = Array.isArray(result);
        return {
          fields: isRows ? (fields ?? []).map((field) => field.name) : [],
          rows: isRows ? rowsOf(result as Record<string, unknown>[], ordered) : [],
          count: isRows ? null : (result as mysql.ResultSetHeader).affectedRows,
          state: rowsOf(state, true),
        };
      } catch (error) {
        return { error: (error as Error).message };
      } finally {
        await connection.query('rollback');
      }
    },
  };
  return runner;
}

/** Builder instances for compiling only (no connection): the migrated file compiles, then calls its driver. */
export function compilers(dialect: Dialect): { kysely: Kysely<unknown>; knex: Knex } {
  const kysely = new Kysely<unknown>({
    dialect:
      dialect === 'postgres' ? new PostgresDialect({ pool: {} as never }) : new MysqlDialect({ pool: {} as never }),
  });
  const knex = knexFactory({ client: dialect === 'postgres' ? 'pg' : 'mysql2' });
  return { kysely, knex };
}

export interface Verdict {
  outcome: 'refused' | 'equivalent' | 'wrong' | 'original fails';
  reason?: string;
  detail?: string;
}

/** Converts and runs one statement's migration for one target, and compares it with the original. */
export async function checkStatement(
  statement: GeneratedStatement,
  target: JsTarget,
  method: DriverMethod,
  language: HostLanguage,
  runner: Runner,
  instances: { kysely: Kysely<unknown>; knex: Knex },
  original: Received,
): Promise<Verdict> {
  const options: GenerateOptions = {
    dialect: runner.dialect,
    parameters: statement.hostValues.map((_, index) => `params[${index}]`),
    valuesOnly: statement.interpolated,
    instance: target === 'kysely' ? 'db' : 'knex',
    language,
    typedParameters: method === 'connection.execute',
  };
  const conversion: BuilderConversion =
    target === 'kysely' ? await generateKysely(statement.sql, options) : await convertSqlToKnex(statement.sql, options);
  if ('refused' in conversion) return { outcome: 'refused', reason: conversion.refused };
  let compiled: { sql: string; values: unknown[] };
  try {
    compiled = compile(conversion.code, target, language, instances, statement.hostValues);
  } catch (error) {
    return { outcome: 'wrong', detail: `the generated code throws: ${(error as Error).message}\n${conversion.code}` };
  }
  const migrated = await runner.run(method, compiled.sql, compiled.values, statement.check, statement.ordered);
  if ('error' in original) {
    return 'error' in migrated
      ? { outcome: 'original fails' }
      : { outcome: 'wrong', detail: `the original fails (${original.error}), the migration does not` };
  }
  const expected = JSON.stringify(original);
  const actual = JSON.stringify(migrated);
  if (expected === actual) return { outcome: 'equivalent' };
  return {
    outcome: 'wrong',
    detail: `${conversion.code}\ncompiled: ${compiled.sql} ${JSON.stringify(compiled.values)}\nexpected ${expected}\nactual   ${actual}`,
  };
}

/** The generated code as the migrated file runs it: JavaScript as written, TypeScript with its types stripped. */
function compile(
  code: string,
  target: JsTarget,
  language: HostLanguage,
  instances: { kysely: Kysely<unknown>; knex: Knex },
  params: unknown[],
): { sql: string; values: unknown[] } {
  const source = `(db, knex, sql, params) => ${code}`;
  const javascript =
    language === 'javascript'
      ? source
      : ts
          .transpile(
            `export default ${source.replace('(db, knex, sql, params)', '(db: any, knex: any, sql: any, params: any[])')};`,
            {
              target: ts.ScriptTarget.ES2022,
              module: ts.ModuleKind.None,
            },
          )
          .replace(/^[\s\S]*?export default |^[\s\S]*?exports\.default = /, '')
          .replace(/;\s*$/, '');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating generated code is the point
  const build = (new Function(`return ${javascript}`) as () => (...args: unknown[]) => unknown)();
  const builder = build(instances.kysely, instances.knex, kyselySql, params);
  if (target === 'kysely') {
    const query = (builder as { compile(): CompiledQuery }).compile();
    return { sql: query.sql, values: [...query.parameters] };
  }
  const native = (builder as Knex.QueryBuilder).toSQL().toNative();
  return { sql: native.sql, values: [...native.bindings] };
}
