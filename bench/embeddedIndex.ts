/**
 * Finding SQL and static references in a generated workspace: 5,000 files (TS, JS, Python; 10 %
 * with SQL), read from disk and extracted one after another. Goals (issue 7): the whole workspace
 * under 20 s on a 2-core machine, one changed file under 50 ms.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractEmbedded } from '../server/src/embedded/extract';
import type { Relation, SchemaSnapshot } from '../server/src/schema/snapshot';
import { fmt, medianMs, peakRssMb, report } from './measure';

const FILES = 5_000;
const SQL_SHARE = 0.1;

function relation(name: string, columns: string[]): Relation {
  return {
    schema: 'public',
    name,
    kind: 'table',
    comment: null,
    columns: columns.map((column, i) => ({
      name: column,
      position: i + 1,
      type: 'text',
      nullable: true,
      default: null,
      comment: null,
    })),
    primaryKey: null,
    uniqueConstraints: [],
    foreignKeys: [],
    indexes: [],
    viewDefinition: null,
  };
}

/** 200 tables of 10 columns: a schema where most string literals are checked against real names. */
function benchSnapshot(): SchemaSnapshot {
  const relations = Array.from({ length: 200 }, (_, t) =>
    relation(`table_${t}`, ['id', ...Array.from({ length: 9 }, (_, c) => `column_${c}`)]),
  );
  return {
    formatVersion: 1,
    dialect: 'postgres',
    server: { product: 'postgres', version: '15', database: 'bench', searchPath: ['public'] },
    schemas: [{ name: 'public', comment: null }],
    relations,
    enums: [],
    domains: [],
    routines: [],
  };
}

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

/** Extraction over a generated workspace of 5,000 files, and the re-extraction of one changed file. */
export async function benchEmbeddedExtraction(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ls-bench-embedded-'));
  try {
    const files: string[] = [];
    let bytes = 0;
    for (let i = 0; i < FILES; i++) {
      const withSql = i % Math.round(1 / SQL_SHARE) === 0;
      const kind = i % 3;
      const name = join(dir, kind === 0 ? `module${i}.ts` : kind === 1 ? `module${i}.js` : `module${i}.py`);
      const text = kind === 2 ? pythonFile(i, withSql) : typescriptFile(i, withSql);
      bytes += text.length;
      await writeFile(name, text);
      files.push(name);
    }
    process.stdout.write(
      `\nEmbedded SQL extraction, ${fmt(FILES)} files (${fmt(bytes / 1048576, 1)} MB), 10 % with SQL\n`,
    );
    const snapshot = benchSnapshot();
    // The Python grammar loads once per process; load it before the clock starts, as a server would.
    await extractEmbedded('warm.py', 'x = 1\n', { dialect: 'postgres', snapshot });

    let regions = 0;
    let dependencies = 0;
    const started = performance.now();
    const { peakMb } = await peakRssMb(async () => {
      for (const file of files) {
        const result = await extractEmbedded(file, await readFile(file, 'utf8'), { dialect: 'postgres', snapshot });
        regions += result.regions.length;
        dependencies += result.dependencies.length;
      }
    });
    const totalMs = performance.now() - started;

    const changedTs = files[0];
    const changedPy = files[2];
    const oneTs = await medianMs(9, async () => {
      await writeFile(changedTs, typescriptFile(0, true) + '\nexport const touched = 1;\n');
      await extractEmbedded(changedTs, await readFile(changedTs, 'utf8'), { dialect: 'postgres', snapshot });
    });
    const onePy = await medianMs(9, async () => {
      await writeFile(changedPy, pythonFile(2, true) + '\ntouched = 1\n');
      await extractEmbedded(changedPy, await readFile(changedPy, 'utf8'), { dialect: 'postgres', snapshot });
    });

    report('full extraction', `${fmt(totalMs / 1000, 2)} s`, 'goal < 20 s');
    report('files per second', fmt(FILES / (totalMs / 1000)));
    report('SQL regions found', fmt(regions));
    report('static dependencies found', fmt(dependencies));
    report('peak RSS during extraction', `${fmt(peakMb)} MB`);
    report('one changed TypeScript file (write + read + extract)', `${fmt(oneTs, 1)} ms`, 'goal < 50 ms');
    report('one changed Python file (write + read + extract)', `${fmt(onePy, 1)} ms`, 'goal < 50 ms');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
