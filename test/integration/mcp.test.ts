/**
 * `live-schema mcp` end to end: the bundled CLI spawned over stdio and spoken to with the MCP SDK's
 * own client, as VS Code's agent mode does, against the embedded PGlite (`examples/shop`), a real
 * PostgreSQL behind a closable proxy, and a real MariaDB.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import type { TableDescription } from '../../server/src/mcp/describeTable';
import type { ConnectionState } from '../../server/src/mcp/mcpConnection';
import type { SchemaMatch } from '../../server/src/schema/schemaSearch';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { startProxy } from '../support/network';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'server/out/cli.js');
const SYNONYMS = { revenue: ['total_cents'] };

interface Answer<T> {
  isError: boolean;
  text: string;
  json: T;
}

/** The answers' shapes as an agent reads them. */
interface Source {
  connection: string;
  state: string;
  schemaAgeSeconds: number | null;
  reason?: string;
}
type Search = { matches: (SchemaMatch & { connection: string })[] };
type Described = TableDescription & { source: Source };
type Checked = {
  executed: boolean;
  liveCheck: string;
  findings: { code: string; severity: string; message: string; suggestions: string[]; text: string }[];
  results?: { statement: number; columns: unknown[]; parameters: string[] }[];
};
type References = { references: { file: string; text: string }[] };
type Changes = { connections: (Source & { lastChange: { changes: string[] } | null })[] };

interface McpRun {
  client: Client;
  call<T>(name: string, args: Record<string, unknown>): Promise<Answer<T>>;
  resource<T>(uri: string): Promise<T>;
  stderr(): string;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Spawns the server in `root` with `settings` as its config file and connects the SDK client. */
async function startMcp(root: string, settings: Record<string, unknown>, password = ''): Promise<McpRun> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'ls-mcp-'));
  cleanups.push(() => rm(scratch, { recursive: true, force: true }));
  const config = path.join(scratch, 'live-schema.json');
  await writeFile(config, JSON.stringify({ liveSchema: settings }));
  // The config file is the project's: the password may go only to the targets the user names.
  const targets = ((settings.connections ?? []) as Record<string, unknown>[])
    .map((c) => `${String(c.user)}@${String(c.host)}:${String(c.port)}/${String(c.database)}`)
    .join(',');
  const env = {
    ...process.env,
    LIVE_SCHEMA_PASSWORD: password,
    LIVE_SCHEMA_PASSWORD_TARGETS: targets,
  } as Record<string, string>;
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', '--root', root, '--config', config, '--cache-dir', path.join(scratch, 'cache')],
    cwd: root,
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'live-schema-test', version: '1.0.0' });
  await client.connect(transport);
  const run: McpRun = {
    client,
    async call<T>(name: string, args: Record<string, unknown>) {
      const result = await client.callTool({ name, arguments: args });
      const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
      const json = (result.isError ? {} : JSON.parse(text)) as T;
      return { isError: result.isError === true, text, json };
    },
    async resource<T>(uri: string) {
      const { contents } = await client.readResource({ uri });
      return JSON.parse((contents[0] as { text: string }).text) as T;
    },
    stderr: () => stderr,
    close: () => client.close(),
  };
  cleanups.push(() => run.close());
  return run;
}

const names = (matches: { table: string; column?: string }[]) =>
  matches.map((m) => (m.column ? `${m.table}.${m.column}` : m.table));

describe('embedded PGlite (examples/shop)', () => {
  let mcp: McpRun;
  before(async () => {
    mcp = await startMcp(path.join(repo, 'examples/shop'), { search: { synonyms: SYNONYMS } });
  });

  test('lists the five tools and a snapshot resource per connection', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'check_sql',
      'describe_table',
      'find_references',
      'schema_changes',
      'search_schema',
    ]);
    const { resources } = await mcp.client.listResources();
    assert.deepEqual(
      resources.map((r) => r.uri),
      ['live-schema://connections', 'live-schema://connections/embedded/snapshot'],
    );
  });

  test('search finds a column through its comment and through a synonym', async () => {
    const tax = await mcp.call<Search>('search_schema', { query: 'tax' });
    assert.equal(tax.isError, false, tax.text);
    assert.deepEqual(tax.json.matches[0], {
      connection: 'embedded',
      kind: 'column',
      schema: 'shop',
      table: 'orders',
      column: 'total_cents',
      type: 'integer',
      comment: 'Order total in cents, tax included',
      reason: 'comment',
      score: tax.json.matches[0].score,
    });
    const revenue = await mcp.call<Search>('search_schema', { query: 'revenue' });
    const viaSynonym = revenue.json.matches.find((m) => m.table === 'orders' && m.column === 'total_cents');
    assert.equal(viaSynonym?.reason, 'synonym "revenue"', revenue.text);
  });

  test('describes a table with a composite foreign key, in and out', async () => {
    const payments = await mcp.call<Described>('describe_table', { table: 'billing.payments' });
    assert.deepEqual(payments.json.foreignKeys[0].from.columns, ['invoice_no', 'fiscal_year']);
    assert.deepEqual(payments.json.foreignKeys[0].to, {
      schema: 'billing',
      table: 'Invoices',
      columns: ['invoice_no', 'fiscal_year'],
    });
    const invoices = await mcp.call<Described>('describe_table', { table: 'Invoices', schema: 'billing' });
    assert.deepEqual(invoices.json.primaryKey, ['invoice_no', 'fiscal_year']);
    assert.ok(invoices.json.referencedBy.some((fk) => fk.from.table === 'payments'));
  });

  test('checks SQL: a valid statement has no findings, a typo gets its code and suggestion', async () => {
    const good = await mcp.call<Checked>('check_sql', {
      sql: 'SELECT o.id, c.full_name FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id',
    });
    assert.deepEqual(good.json.findings, []);
    const bad = await mcp.call<Checked>('check_sql', { sql: 'SELECT totl_cents FROM shop.orders' });
    assert.equal(bad.json.findings.length, 1, bad.text);
    assert.equal(bad.json.findings[0].code, 'unknown-column');
    assert.deepEqual(bad.json.findings[0].suggestions, ['total_cents']);
    assert.equal(bad.json.findings[0].text, 'totl_cents');
  });

  test('finds where the project uses a column', async () => {
    const refs = await mcp.call<References>('find_references', { table: 'shop.orders', column: 'total_cents' });
    assert.equal(refs.isError, false, refs.text);
    assert.ok(
      refs.json.references.some((r) => r.file === 'queries/orders.sql'),
      refs.text,
    );
  });

  test('malformed arguments and unknown names are tool errors; the server keeps answering', async () => {
    const missing = await mcp.call<Checked>('check_sql', {});
    assert.equal(missing.isError, true);
    assert.match(missing.text, /sql/);
    const wrongType = await mcp.call<Described>('describe_table', { table: 42 });
    assert.equal(wrongType.isError, true);
    const typoKey = await mcp.call<Search>('search_schema', { querry: 'orders' });
    assert.equal(typoKey.isError, true);
    assert.match(typoKey.text, /querry/);
    const unknown = await mcp.call<Described>('describe_table', { table: 'shop.ordrs' });
    assert.equal(unknown.isError, true);
    assert.match(unknown.text, /Did you mean "orders"/);
    const noConnection = await mcp.call<Checked>('check_sql', { sql: 'select 1', connection: 'prod' });
    assert.equal(noConnection.isError, true);
    assert.match(noConnection.text, /No connection named "prod"/);
    const still = await mcp.call<Changes>('schema_changes', {});
    assert.equal(still.json.connections[0].state, 'fresh');
    assert.equal(still.json.connections[0].lastChange, null);
  });
});

const PG_DDL = `
  CREATE TABLE customers (id int PRIMARY KEY, full_name text NOT NULL);
  CREATE TABLE orders (
    id int PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers (id),
    total_cents int NOT NULL
  );
  COMMENT ON COLUMN orders.total_cents IS 'Order total in cents, tax included';
  CREATE TABLE invoices (invoice_no text, fiscal_year int, order_id int REFERENCES orders (id),
    PRIMARY KEY (invoice_no, fiscal_year));
  CREATE TABLE payments (id int PRIMARY KEY, invoice_no text NOT NULL, fiscal_year int NOT NULL,
    FOREIGN KEY (invoice_no, fiscal_year) REFERENCES invoices (invoice_no, fiscal_year));
  INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');
  INSERT INTO orders VALUES (10, 1, 1200), (11, 2, 800);
`;

describe('PostgreSQL behind a proxy', () => {
  let db: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let mcp: McpRun;
  let root: string;
  before(async () => {
    db = await createPostgresDatabase(PG_DDL);
    cleanups.push(() => db.drop());
    proxy = await startProxy({ host: pgServer.host, port: pgServer.port });
    cleanups.push(() => proxy.close());
    root = await mkdtemp(path.join(tmpdir(), 'ls-mcp-pg-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    mcp = await startMcp(root, {
      connections: [
        { name: 'pg', driver: 'postgres', host: '127.0.0.1', port: proxy.port, database: db.name, user: pgServer.user },
      ],
      validation: { liveCheck: true },
      // Every tool call asks the fingerprint: a database that went away shows at the next call.
      cache: { ttlSeconds: 0, pollIntervalSeconds: 0 },
      search: { synonyms: SYNONYMS },
    });
  });

  test('search, describe and check against the live schema', async () => {
    const tax = await mcp.call<Search>('search_schema', { query: 'tax' });
    assert.deepEqual(names(tax.json.matches), ['orders.total_cents']);
    assert.equal(tax.json.matches[0].reason, 'comment');
    const revenue = await mcp.call<Search>('search_schema', { query: 'revenue' });
    assert.equal(revenue.json.matches[0].reason, 'synonym "revenue"');
    assert.deepEqual(names(revenue.json.matches), ['orders.total_cents']);

    const payments = await mcp.call<Described>('describe_table', { table: 'payments' });
    assert.deepEqual(payments.json.foreignKeys[0].from.columns, ['invoice_no', 'fiscal_year']);
    assert.deepEqual(payments.json.foreignKeys[0].to.table, 'invoices');
    assert.equal(payments.json.source.state, 'fresh');

    const good = await mcp.call<Checked>('check_sql', {
      sql: 'select id, total_cents from orders where customer_id = $1',
    });
    assert.deepEqual(good.json.findings, [], good.text);
    assert.match(good.json.liveCheck, /1 statements prepared/);
    // What the query returns, before it runs: the server's description, as node-postgres types.
    assert.deepEqual(good.json.results, [
      {
        statement: 1,
        columns: [
          { name: 'id', type: 'int4', nullable: false, typescript: 'number' },
          { name: 'total_cents', type: 'int4', nullable: false, typescript: 'number' },
        ],
        parameters: ['int4'],
      },
    ]);
    const bad = await mcp.call<Checked>('check_sql', { sql: 'select o.totl_cents from orders o' });
    assert.equal(bad.json.findings[0].code, 'unknown-column');
    assert.deepEqual(bad.json.findings[0].suggestions, ['total_cents']);
  });

  test('statements that would change data are checked, never executed', async () => {
    const writes = 'DELETE FROM orders; UPDATE orders SET total_cents = 0; INSERT INTO customers VALUES (3, $$Eve$$);';
    const checked = await mcp.call<Checked>('check_sql', { sql: writes });
    assert.deepEqual(checked.json.findings, [], checked.text);
    assert.equal(checked.json.executed, false);
    const drop = await mcp.call<Checked>('check_sql', { sql: 'DROP TABLE payments' });
    assert.equal(drop.isError, false);
    assert.deepEqual(await db.admin('select id, total_cents from orders order by id'), [
      { id: 10, total_cents: 1200 },
      { id: 11, total_cents: 800 },
    ]);
    assert.deepEqual(await db.admin('select count(*)::int as n from customers'), [{ n: 2 }]);
    assert.deepEqual(await db.admin(`select count(*)::int as n from pg_tables where tablename = 'payments'`), [
      { n: 1 },
    ]);
  });

  test('schema_changes reports an ALTER TABLE made during the session', async () => {
    await db.admin('ALTER TABLE orders ADD COLUMN note text');
    const changes = await mcp.call<Changes>('schema_changes', {});
    assert.deepEqual(changes.json.connections[0].lastChange?.changes, ['added column public.orders.note (text)']);
  });

  test('the database going away: the last snapshot is served, marked stale, with the reason', async () => {
    await proxy.close();
    const orders = await mcp.call<Described>('describe_table', { table: 'orders' });
    assert.equal(orders.isError, false, orders.text);
    assert.ok(orders.json.columns.some((c) => c.name === 'note'));
    assert.equal(orders.json.source.state, 'stale');
    assert.ok(orders.json.source.reason, orders.text);
    const listed = await mcp.resource<{ connections: ConnectionState[] }>('live-schema://connections');
    assert.equal(listed.connections[0].state, 'stale');
    const snapshot = await mcp.resource<ConnectionState & { snapshot: SchemaSnapshot }>(
      'live-schema://connections/pg/snapshot',
    );
    assert.equal(snapshot.state, 'stale');
    assert.ok(snapshot.snapshot.relations.some((r) => r.name === 'orders'));
    assert.equal(typeof snapshot.schemaAgeSeconds, 'number');
    const check = await mcp.call<Checked>('check_sql', { sql: 'select nope from orders' });
    assert.equal(check.json.findings[0].code, 'unknown-column');
  });
});

const MARIA_DDL = `
  CREATE TABLE orders (
    id INT PRIMARY KEY,
    total_cents INT NOT NULL COMMENT 'Order total in cents, tax included'
  ) ENGINE=InnoDB;
  CREATE TABLE invoices (invoice_no VARCHAR(20), fiscal_year INT, PRIMARY KEY (invoice_no, fiscal_year)) ENGINE=InnoDB;
  CREATE TABLE payments (id INT PRIMARY KEY, invoice_no VARCHAR(20) NOT NULL, fiscal_year INT NOT NULL,
    CONSTRAINT payments_invoice FOREIGN KEY (invoice_no, fiscal_year) REFERENCES invoices (invoice_no, fiscal_year)) ENGINE=InnoDB;
  INSERT INTO orders VALUES (10, 1200), (11, 800);
`;

describe('MariaDB', () => {
  let db: TestDatabase;
  let mcp: McpRun;
  before(async () => {
    db = await createMysqlDatabase(MARIA_DDL);
    cleanups.push(() => db.drop());
    const root = await mkdtemp(path.join(tmpdir(), 'ls-mcp-maria-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    mcp = await startMcp(
      root,
      {
        connections: [
          {
            name: 'maria',
            driver: 'mysql',
            host: mysqlServer.host,
            port: mysqlServer.port,
            database: db.name,
            user: mysqlServer.user,
          },
        ],
        validation: { liveCheck: true },
        search: { synonyms: SYNONYMS },
      },
      mysqlServer.password,
    );
  });

  test('search, describe with a composite foreign key, check', async () => {
    const tax = await mcp.call<Search>('search_schema', { query: 'tax' });
    assert.deepEqual(names(tax.json.matches), ['orders.total_cents']);
    const revenue = await mcp.call<Search>('search_schema', { query: 'revenue', connection: 'maria' });
    assert.equal(revenue.json.matches[0].reason, 'synonym "revenue"');

    const payments = await mcp.call<Described>('describe_table', { table: 'payments' });
    assert.equal(payments.isError, false, payments.text);
    assert.deepEqual(payments.json.foreignKeys, [
      {
        name: 'payments_invoice',
        from: { schema: db.name, table: 'payments', columns: ['invoice_no', 'fiscal_year'] },
        to: { schema: db.name, table: 'invoices', columns: ['invoice_no', 'fiscal_year'] },
        onUpdate: payments.json.foreignKeys[0].onUpdate,
        onDelete: payments.json.foreignKeys[0].onDelete,
      },
    ]);

    const good = await mcp.call<Checked>('check_sql', { sql: 'SELECT id, total_cents FROM orders WHERE id = ?' });
    assert.deepEqual(good.json.findings, [], good.text);
    const bad = await mcp.call<Checked>('check_sql', { sql: 'SELECT totl_cents FROM orders' });
    assert.equal(bad.json.findings[0].code, 'unknown-column');
    assert.deepEqual(bad.json.findings[0].suggestions, ['total_cents']);
  });

  test('a DELETE is checked, never executed', async () => {
    const checked = await mcp.call<Checked>('check_sql', { sql: 'DELETE FROM orders WHERE id > 0' });
    // MariaDB prepares DML only in a writable transaction, which is never opened: no verdict, said so.
    assert.deepEqual(
      checked.json.findings.map((f) => [f.code, f.severity]),
      [['not-checked', 'information']],
      checked.text,
    );
    assert.match(checked.json.findings[0]?.message ?? '', /did not judge it/);
    assert.deepEqual(await db.admin('SELECT id, total_cents FROM orders ORDER BY id'), [
      { id: 10, total_cents: 1200 },
      { id: 11, total_cents: 800 },
    ]);
  });
});
