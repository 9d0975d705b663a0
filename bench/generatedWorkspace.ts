/**
 * The generated workspace the extraction and index benchmarks share: a schema of 200 tables and
 * code files in TypeScript, JavaScript and Python, one in ten with SQL that names those tables.
 */
import type { SchemaSnapshot } from '../server/src/schema/snapshot';
import { snapshotOf, tableOf } from '../test/support/snapshotBuilders';

/** How many code files a generated workspace holds. */
export const CODE_FILES = 5_000;
/** The share of code files with SQL in them. */
export const SQL_SHARE = 0.1;

/** 200 tables of 10 columns: a schema where most string literals are checked against real names. */
export function benchSnapshot(renamed = false): SchemaSnapshot {
  // `renamed` renames one column in every table, the schema change the index must follow.
  const columns = [
    'id',
    ...Array.from({ length: 9 }, (_, c) => (renamed && c === 1 ? 'column_1_renamed' : `column_${c}`)),
  ];
  return snapshotOf(
    Array.from({ length: 200 }, (_, t) => tableOf(`table_${t}`, columns)),
    { server: { version: '15', database: 'bench' } },
  );
}

/** The `i`-th code file: its extension (every third file is Python, the rest TS and JS) and its text. */
export function codeFile(i: number): { extension: 'ts' | 'js' | 'py'; text: string } {
  const withSql = i % Math.round(1 / SQL_SHARE) === 0;
  const kind = i % 3;
  if (kind === 2) return { extension: 'py', text: pythonFile(i, withSql) };
  return { extension: kind === 0 ? 'ts' : 'js', text: typescriptFile(i, withSql) };
}

/** A module of 12 handlers; with SQL, every fourth runs a query and an update. */
export function typescriptFile(i: number, withSql: boolean): string {
  const lines = [`import { pool } from './db';`, `import { format } from './format';`, ''];
  for (let f = 0; f < 12; f++) {
    lines.push(
      `export async function handler${i}_${f}(input: { id: number; name: string }): Promise<string> {`,
      `  const label = format('Item ${f} of ' + input.name, { locale: 'en-GB' });`,
      `  if (input.id < 0) throw new Error(\`bad id \${input.id} for \${label}\`);`,
      `  const options = { retries: 3, mode: 'fast', tags: ['a', 'b', 'c'] };`,
    );
    if (withSql && f % 4 === 0) {
      lines.push(
        `  const { rows } = await pool.query(\`SELECT id, column_1, column_2 FROM table_${f} WHERE id = \${input.id}\`);`,
        `  await pool.query('UPDATE table_${f + 1} SET column_3 = $1 WHERE id = $2', [label, input.id]);`,
        `  const sortable = { newest: 'column_4', name: 'column_5' };`,
        `  return JSON.stringify({ rows, options, sortable });`,
      );
    } else {
      lines.push(`  return JSON.stringify({ label, options });`);
    }
    lines.push('}', '');
  }
  return lines.join('\n');
}

/** The Python counterpart of `typescriptFile`, run through a DB-API cursor. */
export function pythonFile(i: number, withSql: boolean): string {
  const lines = ['import logging', '', 'log = logging.getLogger(__name__)', ''];
  for (let f = 0; f < 12; f++) {
    lines.push(
      `def handler_${i}_${f}(conn, item_id, name):`,
      `    label = f"Item {item_id:>5} of {name}"`,
      `    log.info("handling %s", label)`,
      `    options = {"retries": 3, "mode": "fast", "tags": ["a", "b", "c"]}`,
    );
    if (withSql && f % 4 === 0) {
      lines.push(
        '    with conn.cursor() as cur:',
        `        cur.execute("SELECT id, column_1 FROM table_${f} WHERE id = %s", (item_id,))`,
        `        cur.execute(f"UPDATE table_${f + 1} SET column_2 = {name!r} WHERE id = {item_id}")`,
        '        return cur.fetchall(), options',
      );
    } else {
      lines.push('    return label, options');
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A migration-style `.sql` file: DDL and queries, 40 statements. */
export function sqlFile(i: number): string {
  const statements: string[] = [];
  for (let s = 0; s < 20; s++) {
    const t = (i * 20 + s) % 200;
    statements.push(
      `ALTER TABLE table_${t} ADD COLUMN IF NOT EXISTS note_${s} text;`,
      `SELECT a.id, a.column_1, b.column_2 FROM table_${t} a JOIN table_${(t + 1) % 200} b ON b.id = a.id WHERE a.column_3 = 'x' ORDER BY a.column_4;`,
    );
  }
  return `-- generated ${i}\n${statements.join('\n')}\n`;
}
