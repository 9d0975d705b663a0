/**
 * Five documents of about 1 MB each over the generated 10,000-table schema (`t0` … `t9999`), as a
 * developer keeps open: three `.sql` files, a TypeScript and a Python module with SQL strings.
 * Each ends with one unknown column, so its diagnostics show when it has been checked.
 */
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';

const DOCUMENT_BYTES = 1_048_576;
const TABLES = 10_000;

export interface LargeDocument {
  file: string;
  languageId: string;
  text: string;
  /** True once the document's own planted unknown column is reported. */
  checked: (diagnostics: Diagnostic[]) => boolean;
}

export function largeDocuments(workspace: string): LargeDocument[] {
  const documents: LargeDocument[] = [];
  for (let n = 0; n < 3; n++)
    documents.push(document(path.join(workspace, `large${n}.sql`), 'sql', n, (t, c) => `${sql(t, c)};\n`));
  documents.push(
    document(path.join(workspace, 'large.ts'), 'typescript', 3, (t, c, i) =>
      [
        `export async function load${i}(pool: Pool, id: number) {`,
        `  const { rows } = await pool.query(\`${sql(t, c)} AND id = $1\`, [id]);`,
        '  return rows;',
        '}\n',
      ].join('\n'),
    ),
  );
  documents.push(
    document(path.join(workspace, 'large.py'), 'python', 4, (t, c, i) =>
      [
        `def load_${i}(cur, item_id):`,
        `    cur.execute("${sql(t, c)} AND id = %s", (item_id,))`,
        '    return cur.fetchall()\n',
      ].join('\n'),
    ),
  );
  return documents;
}

function sql(table: number, column: string): string {
  return `SELECT id, name, ${column}, amount FROM t${table} WHERE active`;
}

/** Statements until the document is about 1 MB, the last one naming a column no table has. */
function document(
  file: string,
  languageId: string,
  seed: number,
  statement: (table: number, column: string, index: number) => string,
): LargeDocument {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < DOCUMENT_BYTES; i++) {
    const part = statement((seed * 1_999 + i * 7) % TABLES, 'code', i);
    parts.push(part);
    size += part.length;
  }
  const planted = `planted_${seed}`;
  parts.push(statement(seed, planted, parts.length));
  return {
    file,
    languageId,
    text: parts.join('\n'),
    checked: (diagnostics) => diagnostics.some((d) => d.code === 'unknown-column' && d.message.includes(planted)),
  };
}
