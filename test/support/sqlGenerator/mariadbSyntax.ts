import { Random } from './random';

/**
 * Seeded random statements over the MariaDB oracle schema (`test/fixtures/sql/mysql/schema.sql`)
 * for the syntax checks: valid MariaDB built from forms that look like mistakes (`CAST(x AS CHAR)`,
 * `INTERVAL 1 + 1 DAY`, an alias named `ilike`, `BETWEEN (1) AND 2`, `DELETE … USING`, …), and,
 * in more than half of them, one fragment swapped for a PostgreSQL form or a broken clause. Nothing
 * here says which statements are valid: MariaDB judges each one.
 */

/** A fragment slot: valid forms, and the wrong forms that may replace them. */
interface Slot {
  valid: string[];
  wrong: string[];
}

const items: Slot = {
  valid: [
    'c.id',
    'c.email AS mail',
    'CAST(c.id AS CHAR)',
    'CAST(c.created_at AS DATE) AS d',
    'CONVERT(c.full_name USING utf8mb4)',
    '~c.id',
    'c.id * 2 AS twice',
    "'x' 'y' AS xy",
    'c.email ilike',
    'c.email similar',
    'DATE_ADD(c.created_at, INTERVAL 1 + 1 DAY)',
    "DATE_ADD(c.created_at, INTERVAL '1' DAY)",
    "CASE WHEN c.id = 1 THEN 'a' END AS k",
    "CASE c.id WHEN 1 THEN 'a' ELSE 'b' END",
    '(SELECT 1) AS one',
    'c.*',
    'c.id AS `select`',
    'EXTRACT(YEAR FROM c.created_at)',
    'SUBSTRING(c.email FROM 1 FOR 2)',
    "TRIM(LEADING 'x' FROM c.email)",
    "JSON_EXTRACT('[1]', '$[0]')",
    'c.email e',
  ],
  wrong: [
    'c.id::text',
    "CASE WHEN c.id = 1 THEN 'a' AS k",
    "DATE_ADD(c.created_at, INTERVAL '1 day')",
    'c.id AS order',
    'c.email AS returning',
    "c.email ILIKE 'a%'",
    'c.id, *',
    "E'x'",
    "c.email || 'x'",
  ],
};

const sources: Slot = {
  valid: [
    'customers c',
    'customers AS c',
    'customers c JOIN Orders o ON o.customer_id = c.id',
    'customers c LEFT JOIN Orders o USING (id)',
    'customers c NATURAL JOIN tags',
    '(SELECT id, email, full_name, created_at FROM customers) c',
    '(SELECT id, email, full_name, created_at FROM customers) AS c',
    'customers c FORCE INDEX (PRIMARY)',
  ],
  wrong: [
    '(SELECT id, email, full_name, created_at FROM customers)',
    '(SELECT id, email, full_name, created_at FROM customers) AS c (a, b, d, e)',
    'customers c TABLESAMPLE SYSTEM (10)',
    'ONLY customers c',
    'customers c JOIN Orders o USING customer_id',
  ],
};

const conditions: Slot = {
  valid: [
    'c.id = 1',
    'c.id BETWEEN 1 AND 5',
    'c.id BETWEEN (1) AND 2',
    'c.id NOT BETWEEN 1 AND 2',
    "c.email LIKE 'a%'",
    "c.email NOT LIKE 'a!%' ESCAPE '!'",
    "c.email REGEXP '^a'",
    'c.id IN (SELECT customer_id FROM Orders)',
    'EXISTS (SELECT 1 FROM Orders o2 WHERE o2.customer_id = c.id)',
    'c.id = ?',
    'c.email <=> NULL',
    'c.id = (SELECT MAX(id) FROM customers)',
    "(c.id, c.email) = (1, 'a')",
    'NOT c.id = 1',
  ],
  wrong: [
    "c.email ILIKE 'a%'",
    "c.email NOT ILIKE 'a%'",
    "c.email SIMILAR TO 'a%'",
    "c.email ~ 'a'",
    "c.email !~ 'a'",
    'c.id::int = 1',
    'c.id = ANY (ARRAY[1, 2])',
    'c.id BETWEEN 1',
    'c.id = SELECT 1',
    "c.email IS DISTINCT FROM 'x'",
    'c.id = $1',
    "c.created_at > '2020-01-01'::date",
    'c.id IN ()',
    'c.id = 1 AND',
  ],
};

const orders: Slot = {
  valid: ['c.id', 'c.id DESC', 'c.email ASC, c.id DESC', '1'],
  wrong: ['c.id NULLS FIRST', 'c.id DESC ASC', 'c.id DESC NULLS LAST'],
};

const limits: Slot = {
  valid: ['LIMIT 5', 'LIMIT 5 OFFSET 2', 'LIMIT 2, 5', 'LIMIT ?', 'OFFSET 2 ROWS', 'LIMIT ? OFFSET ?'],
  wrong: ['LIMIT ALL', 'OFFSET 2', "LIMIT '5'", 'LIMIT 5 OFFSET'],
};

const lockings: Slot = {
  valid: ['FOR UPDATE', 'LOCK IN SHARE MODE', ''],
  wrong: ['FOR SHARE', 'FOR NO KEY UPDATE', 'FOR KEY SHARE', 'RETURNING c.id'],
};

const inserts: Slot = {
  valid: [
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a')",
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a'), (2, 'b') ON DUPLICATE KEY UPDATE label = VALUES(label)",
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a') RETURNING tag_id",
    "INSERT INTO tags SET tag_id = 1, label = 'a'",
    'INSERT INTO tags (tag_id, label) SELECT tag_id + 100, label FROM tags WHERE tag_id < 0',
    "INSERT IGNORE INTO tags VALUES (1, 'a')",
    "REPLACE INTO tags (tag_id, label) VALUES (1, 'a') RETURNING label",
    'INSERT INTO tags (tag_id, label) SELECT 1, 1 UNION VALUES (2, 2)',
  ],
  wrong: [
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a') ON CONFLICT (tag_id) DO NOTHING",
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a') ON CONFLICT (tag_id) DO UPDATE SET label = EXCLUDED.label",
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a') (2, 'b')",
    'INSERT INTO tags DEFAULT VALUES',
    "INSERT INTO tags tag_id VALUES (1, 'a')",
    "INSERT INTO tags (tag_id, label) VALUES (1, 'a')::text",
  ],
};

const changes: Slot = {
  valid: [
    "UPDATE customers c SET c.email = 'x' WHERE {condition}",
    "UPDATE Orders o JOIN customers c ON c.id = o.customer_id SET o.note = 'x' WHERE {condition}",
    'DELETE FROM customers WHERE id = 0',
    'DELETE FROM tags WHERE tag_id = 0 RETURNING tag_id',
    'DELETE t FROM tags t JOIN product_tags pt ON pt.tag_id = t.tag_id WHERE pt.product_id = 0',
    'DELETE FROM t USING tags t JOIN product_tags pt ON pt.tag_id = t.tag_id WHERE pt.product_id = 0',
    'DELETE QUICK FROM tags USING tags WHERE tag_id = 0',
  ],
  wrong: [
    "UPDATE customers c SET c.email = 'x' FROM Orders o WHERE o.customer_id = c.id",
    "UPDATE customers c c.email = 'x' WHERE {condition}",
    "UPDATE customers c SET c.email = 'x' WHERE {condition} RETURNING c.id",
    'DELETE customers WHERE id = 0',
    'DELETE FROM tags USING product_tags WHERE product_tags.tag_id = tags.tag_id',
  ],
};

/** Makes `count` statements from `seed`; some have one wrong fragment. */
export function mariadbSyntaxStatements(seed: number, count: number): string[] {
  const random = new Random(seed);
  const statements: string[] = [];
  for (let n = 0; n < count; n++) {
    // The slot that gets a wrong form in this statement, if any.
    const broken = random.chance(0.6) ? random.int(0, 5) : -1;
    let slotIndex = 0;
    const fill = (slot: Slot): string => {
      const wrong = slotIndex++ === broken;
      return random.pick(wrong ? slot.wrong : slot.valid);
    };
    const condition = (): string => fill(conditions);
    const kind = random.int(0, 9);
    if (kind < 6) {
      const list = [fill(items), ...(random.chance(0.4) ? [random.pick(items.valid)] : [])].join(', ');
      let sql = `SELECT ${list} FROM ${fill(sources)}`;
      if (random.chance(0.7))
        sql += ` WHERE ${condition()}${random.chance(0.3) ? ` AND ${random.pick(conditions.valid)}` : ''}`;
      if (random.chance(0.5)) sql += ` ORDER BY ${fill(orders)}`;
      if (random.chance(0.5)) sql += ` ${fill(limits)}`;
      if (random.chance(0.3)) sql += ` ${fill(lockings)}`;
      statements.push(sql.trim());
    } else if (kind < 8) {
      statements.push(fill(inserts));
    } else {
      statements.push(fill(changes).replace('{condition}', condition()));
    }
  }
  return statements;
}
