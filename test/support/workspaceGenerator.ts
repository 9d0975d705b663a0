import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { Random } from './sqlGenerator/random';
import { snapshotOf, tableOf } from './snapshotBuilders';

/**
 * Seeded random workspaces for the workspace index: TypeScript, JavaScript and Python files with
 * SQL strings (static, templated, f-strings), hard-coded names and name mappings, `.sql` files, and
 * the odd file that is broken, binary or too large; names drawn from a small schema and a few that
 * are not in it. The same seed gives the same files.
 */

const TABLES = ['customers', 'orders', 'order_items', 'products', 'invoices', 'shipments'];
const COLUMNS = ['id', 'email', 'status', 'total_cents', 'customer_id', 'created_at', 'name', 'sku'];
const UNKNOWN = ['ghosts', 'legacy_orders', 'nickname'];

/** The schema the generated files name: every table has every column. */
export function generatedSchema(): SchemaSnapshot {
  return snapshotOf(
    TABLES.map((t) => tableOf(t, COLUMNS)),
    { server: { version: '15', database: 'generated' } },
  );
}

/** The same schema after a change: one column renamed and one table dropped. */
export function changedGeneratedSchema(): SchemaSnapshot {
  const renamed = COLUMNS.map((c) => (c === 'status' ? 'state' : c));
  return snapshotOf(
    TABLES.filter((t) => t !== 'shipments').map((t) => tableOf(t, renamed)),
    { server: { version: '15', database: 'generated' } },
  );
}

/** `count` files as relative path → content (a Buffer for the binary ones). */
export function generateWorkspace(seed: number, count: number): Map<string, string | Buffer> {
  const random = new Random(seed);
  const files = new Map<string, string | Buffer>();
  for (let i = 0; i < count; i++) {
    const folder = `src/m${i % 7}`;
    const roll = random.next();
    if (roll < 0.01) files.set(`${folder}/blob${i}.ts`, Buffer.from([0x63, 0x00, 0xff, 0x00]));
    else if (roll < 0.2) files.set(`db/q${i}.sql`, sqlFile(random));
    else if (roll < 0.45) files.set(`${folder}/mod${i}.py`, pythonFile(random));
    else if (roll < 0.7) files.set(`${folder}/mod${i}.js`, scriptFile(random, false));
    else files.set(`${folder}/mod${i}.ts`, scriptFile(random, true));
  }
  return files;
}

const table = (random: Random) => random.pick(random.chance(0.1) ? UNKNOWN : TABLES);
const column = (random: Random) => random.pick(random.chance(0.1) ? UNKNOWN : COLUMNS);

function statement(random: Random, marker: () => string): string {
  const t = table(random);
  switch (random.int(0, 3)) {
    case 0:
      return `SELECT ${column(random)}, ${column(random)} FROM ${t} WHERE ${column(random)} = ${marker()}`;
    case 1:
      return `UPDATE ${t} SET ${column(random)} = ${marker()} WHERE id = ${marker()}`;
    case 2:
      return `SELECT a.${column(random)} FROM ${t} a JOIN ${table(random)} b ON b.id = a.${column(random)}`;
    default:
      return `DELETE FROM ${t} WHERE ${column(random)} < ${marker()}`;
  }
}

function sqlFile(random: Random): string {
  const lines: string[] = [];
  for (let s = random.int(1, 12); s > 0; s--) lines.push(`${statement(random, () => String(random.int(1, 99)))};`);
  if (random.chance(0.1)) lines.push('SELECT FROM WHERE;');
  return `${lines.join('\n')}\n`;
}

function scriptFile(random: Random, typescript: boolean): string {
  const lines = [`import { pool } from './db';`, ''];
  const typed = (type: string) => (typescript ? `: ${type}` : '');
  for (let f = random.int(1, 8); f > 0; f--) {
    lines.push(`export async function handler${f}(id${typed('number')}) {`);
    switch (random.int(0, 4)) {
      case 0:
        lines.push(`  return pool.query('${statement(random, () => '$1')}', [id]);`);
        break;
      case 1:
        lines.push(`  return pool.query(\`${statement(random, () => '${id}')}\`);`);
        break;
      case 2:
        lines.push(`  const sortable = { newest: '${column(random)}', name: '${table(random)}.${column(random)}' };`);
        lines.push('  return sortable;');
        break;
      case 3:
        lines.push(`  const table = '${table(random)}';`, `  return pool.query('SELECT * FROM ' + table);`);
        break;
      default:
        lines.push(`  return 'hello ' + id;`);
    }
    lines.push('}', '');
  }
  if (random.chance(0.08)) lines.push('export const broken = (;');
  return lines.join('\n');
}

function pythonFile(random: Random): string {
  const lines = ['import logging', ''];
  for (let f = random.int(1, 8); f > 0; f--) {
    lines.push(`def handler_${f}(cur, item_id):`);
    switch (random.int(0, 3)) {
      case 0:
        lines.push(`    cur.execute("${statement(random, () => '%s')}", (item_id,))`);
        break;
      case 1:
        lines.push(`    cur.execute(f"${statement(random, () => '{item_id}')}")`);
        break;
      case 2:
        lines.push(`    return {"newest": "${column(random)}", "table": "${table(random)}"}`);
        break;
      default:
        lines.push('    return item_id');
    }
    lines.push('');
  }
  if (random.chance(0.08)) lines.push('def broken(:');
  return lines.join('\n');
}
