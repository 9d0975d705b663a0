/**
 * Builds a synthetic schema of `tableCount` tables in the admin session's current database, shaped
 * like the catalog-notes measurements: ~10 columns each, a primary key on every table, a foreign
 * key on every fifth, an extra index on three in ten, and one view per 200 tables.
 * DDL goes in batches through `multipleStatements`: one round trip per batch, not per table.
 */
export async function generateMysqlSchema(
  admin: (sql: string) => Promise<unknown>,
  tableCount: number,
  batchSize = 250,
): Promise<void> {
  const name = (i: number) => `t${String(i).padStart(5, '0')}`;
  for (let start = 1; start <= tableCount; start += batchSize) {
    const statements: string[] = [];
    for (let i = start; i < Math.min(start + batchSize, tableCount + 1); i++) {
      const parts = [
        'id INT NOT NULL AUTO_INCREMENT PRIMARY KEY',
        'code VARCHAR(40) NOT NULL',
        "label VARCHAR(200) DEFAULT 'none'",
        'amount DECIMAL(12,2) NOT NULL DEFAULT 0',
        'quantity INT NULL',
        "state ENUM('new','open','closed') NOT NULL DEFAULT 'new'",
        'notes TEXT',
        'created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
        'flag TINYINT(1) NOT NULL DEFAULT 0',
        'parent_id INT NULL',
      ];
      if (i % 5 === 0 && i > 1)
        parts.push(`CONSTRAINT fk_${name(i)}_parent FOREIGN KEY (parent_id) REFERENCES ${name(i - 1)} (id)`);
      if (i % 10 < 3) parts.push(`INDEX ix_${name(i)}_code (code, created_at)`);
      statements.push(`CREATE TABLE ${name(i)} (${parts.join(', ')}) COMMENT 'generated table ${i}'`);
      if (i % 200 === 0)
        statements.push(
          `CREATE VIEW v_${name(i)} AS SELECT a.id, a.code, b.label FROM ${name(i)} a JOIN ${name(i - 1)} b ON b.id = a.parent_id`,
        );
    }
    await admin(statements.join(';\n'));
  }
}
