import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import {
  CHROMIUM,
  installCodeServer,
  installExtension,
  isolatedEnv,
  requireChromium,
  startCodeServer,
  type CodeServerRun,
} from './codeServer';
import { eventually, Workbench } from './workbench';

/**
 * The packaged extension in a real VS Code (code-server in headless Chromium, driven through its
 * UI as a user would), against real PostgreSQL and MariaDB databases made for this run.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const UI_TIMEOUT = 60_000;

describe('Live Schema in VS Code (code-server)', { timeout: 15 * 60_000 }, () => {
  let run: string;
  let workspace: string;
  let server: CodeServerRun | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let ui: Workbench;
  let pg: TestDatabase | undefined;
  let maria: TestDatabase | undefined;
  const mysqlUser = `ls_test_u${process.pid}`;
  const secret = `pw-${Math.random().toString(36).slice(2)}-e2e`;

  before(async () => {
    requireChromium();
    run = mkdtempSync(path.join(tmpdir(), 'live-schema-e2e-'));
    let started = Date.now();
    const bin = installCodeServer();
    console.log(`code-server ready in ${Date.now() - started} ms`);

    pg = await createPostgresDatabase(readFileSync(path.join(import.meta.dirname, 'databases/postgres.sql'), 'utf8'));
    maria = await createMysqlDatabase(readFileSync(path.join(import.meta.dirname, 'databases/mysql.sql'), 'utf8'));
    // A MariaDB user with a password: only Set Password lets the extension in.
    await maria.admin(`CREATE USER '${mysqlUser}'@'%' IDENTIFIED BY '${secret}'`);
    await maria.admin(`GRANT SELECT ON \`${maria.name}\`.* TO '${mysqlUser}'@'%'`);

    workspace = path.join(run, 'workspace');
    cpSync(path.join(import.meta.dirname, 'workspace'), workspace, { recursive: true });
    const settingsDir = path.join(workspace, '.vscode');
    mkdirSync(settingsDir);
    writeFileSync(
      path.join(settingsDir, 'settings.json'),
      JSON.stringify(
        {
          'liveSchema.connections': [
            {
              name: 'shop',
              driver: 'postgres',
              host: pgServer.host,
              port: pgServer.port,
              user: pgServer.user,
              database: pg.name,
              files: ['*.sql', '*.ts'],
            },
            {
              name: 'billing',
              driver: 'mysql',
              host: mysqlServer.host,
              port: mysqlServer.port,
              user: mysqlUser,
              database: maria.name,
              files: ['billing/**'],
            },
            {
              name: 'embedded',
              driver: 'pglite',
              schemaFiles: ['embedded/schema/*.sql'],
              files: ['embedded/**'],
            },
          ],
          'liveSchema.migrations.target': 'kysely',
          // Protocol tracing on: the getPassword exchange is written to the output channel, redacted.
          'liveSchema.trace.server': 'verbose',
        },
        null,
        2,
      ),
    );

    started = Date.now();
    const vsix = path.join(run, 'live-schema.vsix');
    execFileSync(process.execPath, ['scripts/build.mjs', '--minify'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, ['scripts/packageVsix.mjs', '--out', vsix], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    installExtension(bin, run, vsix);
    console.log(
      `.vsix packaged (${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB) and installed in ${Date.now() - started} ms`,
    );

    server = await startCodeServer(bin, run, workspace, 18000 + (process.pid % 1000));
    const env = isolatedEnv(run, 'browser');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT);
    ui = new Workbench(page);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  });

  after(async () => {
    if (ui) console.log(ui.retrySummary());
    if (page) await page.screenshot({ path: path.join(run, 'last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    server?.stop();
    await maria?.admin(`DROP USER IF EXISTS '${mysqlUser}'@'%'`).catch(() => undefined);
    await maria?.drop();
    await pg?.drop();
    console.log(`e2e run directory (logs, screenshots): ${run}`);
  });

  // Each test's last screen, in the run directory: what a failure looked like.
  let step = 0;
  afterEach(async () => {
    await page.screenshot({ path: path.join(run, `step-${++step}.png`) }).catch(() => undefined);
  });

  const treeRow = (label: string) => ui.treeRow(label);

  test('the getting-started walkthrough opens with its four steps, each linking its command', async () => {
    await ui.runCommand(
      'Welcome: Open Walkthrough...',
      page.locator('.monaco-list-row[aria-label*="Get Started with Live Schema"]'),
    );
    // The pick lists VS Code's own walkthroughs first: filtered down to ours.
    await ui.quickInput('Get Started with Live Schema');
    await page
      .locator('.quick-input-widget .monaco-list-row.focused[aria-label*="Get Started with Live Schema"]')
      .waitFor();
    await page.keyboard.press('Enter');
    const slide = page.locator('.gettingStartedSlideDetails', { hasText: 'Get Started with Live Schema' });
    const steps = slide.locator('.getting-started-step .step-title');
    await steps.first().waitFor();
    assert.deepEqual(await steps.allInnerTexts(), [
      'Connect a database, or use the embedded schema',
      'See a mistake and fix it',
      'Browse the schema',
      'Migrate a SQL string, then roll it back',
    ]);
    // The expanded first step shows its command as a button.
    await page
      .locator('.gettingStartedContainer .getting-started-step.expanded', { hasText: 'Add Connection' })
      .waitFor();
    await ui.runCommand('View: Close All Editors');
    await page.locator('.gettingStartedContainer').waitFor({ state: 'detached' });
  });

  test('the activity-bar container opens the Schema Explorer, which lists the tables', async () => {
    await page.locator('.part.activitybar li.action-item a[aria-label="Live Schema"]').click();
    await treeRow('shop').waitFor();
    await treeRow('public').first().waitFor();
    await treeRow('customers').waitFor();
    await treeRow('orders').waitFor();
    // The connection row follows the server's status notifications: wait for it, do not race it.
    await treeRow('shop')
      .filter({ hasText: /connected/ })
      .waitFor();
  });

  test('Refresh Schema after ALTER TABLE shows the new column', async () => {
    await ui.toggleTreeRow('orders');
    await treeRow('total_cents').waitFor();
    assert.equal(await treeRow('shipped_at').count(), 0);
    await pg!.admin('ALTER TABLE orders ADD COLUMN shipped_at timestamptz');
    await ui.runCommand('Live Schema: Refresh Schema');
    await treeRow('shipped_at').waitFor();
    // The "schema changed" notification: an added column breaks no reference.
    const notice = page.locator('.notifications-toasts .notification-list-item', {
      hasText: /the schema of shop changed \(1 change\)/,
    });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /no reference in the workspace broke|not indexed yet/);
    await ui.runCommand('Notifications: Clear All Notifications');
  });

  test('a wrong column in a .sql file is reported in the Problems panel', async () => {
    await ui.openFile('query.sql');
    await page.keyboard.press('Control+Shift+M');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'emial' }).first();
    await marker.waitFor();
    assert.match((await marker.getAttribute('aria-label')) ?? '', /^Error: /);
    // The valid join above it is not reported.
    assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: 'customer_id' }).count(), 0);
  });

  test('a quick fix applies the suggestion and the diagnostic goes away', async () => {
    await ui.openFile('query.sql');
    await page.keyboard.press('Control+Shift+M');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'emial' });
    await marker.first().waitFor();
    // Keybindings reach the editor only when it has focus, and a quick fix only shows for the
    // diagnostic under the cursor: Go to Next Problem (F8) puts the cursor on its range.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('F8');
    await page.locator('.statusbar-item', { hasText: 'Ln 6, Col 12' }).waitFor();
    await ui.chooseCodeAction(() => page.keyboard.press('Control+Period'), 'Change to `email`');
    await page.locator('.editor-group-container .view-line', { hasText: 'SELECT id, email FROM customers;' }).waitFor();
    await page.keyboard.press('Control+S');
    await eventually(() =>
      assert.match(readFileSync(path.join(workspace, 'query.sql'), 'utf8'), /^SELECT id, email FROM customers;$/m),
    );
    await marker.first().waitFor({ state: 'detached' });
    await page.keyboard.press('Escape'); // closes the Go to Next Problem peek
  });

  test('"Migrate to Kysely" rewrites a SQL template, journaled, and Roll Back Last Migration restores it', async () => {
    const file = path.join(workspace, 'customers.ts');
    const original = readFileSync(file, 'utf8');
    await ui.openFile('customers.ts');
    await page.locator('.editor-group-container .view-line', { hasText: 'select id, email from customers' }).waitFor();
    // The action is offered on the SQL string under the cursor: Go to Line/Column puts it there.
    await ui.openQuickInput('Control+G');
    await ui.quickInput('4:28');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'Ln 4, Col 28' }).waitFor();
    // The light bulb shows once the actions at the cursor are known; its menu lists refactorings too.
    const lightBulb = page.locator('.monaco-editor .lightBulbWidget');
    await lightBulb.waitFor();
    await ui.chooseCodeAction(() => lightBulb.click(), 'Migrate to Kysely');
    await page.locator('.editor-group-container .view-line', { hasText: "selectFrom('customers')" }).first().waitFor();
    await page.keyboard.press('Control+S');
    await eventually(() => {
      const migrated = readFileSync(file, 'utf8');
      assert.doesNotMatch(migrated, /pool\.query\('select/);
      assert.match(migrated, /\.selectFrom\('customers'\)/);
    });
    const journal = path.join(workspace, '.live-schema/journal');
    assert.ok(readdirSync(journal).length > 0, `a journal entry in ${journal}`);

    await ui.runCommand('Live Schema: Roll Back Last Migration');
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: 'rolled back; restored 1 file' })
      .waitFor();
    await page.keyboard.press('Control+S');
    await eventually(() => assert.equal(readFileSync(file, 'utf8'), original));
  });

  test('Set Password stores the secret, the connection logs in, and the password is in no setting or log', async () => {
    // Collapse the first connection: the tree only renders rows that fit in the view.
    await ui.toggleTreeRow('shop');
    await treeRow('customers').waitFor({ state: 'detached' });
    await treeRow('billing').waitFor();
    assert.doesNotMatch(await treeRow('billing').innerText(), /connected/);
    await ui.runCommand('Live Schema: Set Password', page.locator('.monaco-list-row[aria-label*="billing"]:visible'));
    await ui.quickInput('billing');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[type="password"]').waitFor();
    await ui.quickInput(secret);
    await page.keyboard.press('Enter');
    await treeRow('invoices').waitFor();
    await treeRow('billing')
      .filter({ hasText: /connected/ })
      .waitFor();

    const files = [
      path.join(workspace, '.vscode/settings.json'),
      path.join(server!.userData, 'User/settings.json'),
      ...walk(server!.logs),
    ];
    const traced = files.some((f) => readFileSync(f, 'utf8').includes('liveSchema/getPassword'));
    assert.ok(traced, 'the protocol trace of getPassword reached the output channel log');
    for (const file of files) assert.ok(!readFileSync(file, 'utf8').includes(secret), `password found in ${file}`);
  });

  test('the embedded PGlite, shipped brotli-compressed, builds the schema from the DDL files', async () => {
    // The packaged PGlite has only the compressed WebAssembly and file-system image: this test
    // exercises their decompression, not a plain copy.
    const extensions = path.join(run, 'extensions');
    const installed = readdirSync(extensions).find((name) => name.includes('live-schema'));
    assert.ok(installed, `the extension is installed in ${extensions}`);
    const dist = path.join(extensions, installed, 'server/out/node_modules/@electric-sql/pglite/dist');
    assert.deepEqual(
      readdirSync(dist)
        .filter((f) => /\.(wasm|data)/.test(f))
        .sort(),
      ['initdb.wasm.br', 'pglite.data.br', 'pglite.wasm.br'],
    );
    await ui.toggleTreeRow('billing'); // collapsed, so that the embedded connection's rows fit in the view
    await treeRow('embedded')
      .filter({ hasText: /connected/ })
      .waitFor();
    await treeRow('products').waitFor();
    await ui.openFile('report.sql');
    await page.keyboard.press('Control+Shift+M');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'prise_cents' }).first();
    await marker.waitFor();
    assert.match((await marker.getAttribute('aria-label')) ?? '', /Did you mean "price_cents"/);
  });
  test('Migrate… with "Preview first" shows the refactor preview; Apply migrates and the Migrations view lists it', async () => {
    const file = path.join(workspace, 'customers.ts');
    await ui.openFile('customers.ts');
    await page.locator('.editor-group-container .view-line', { hasText: 'select id, email from customers' }).waitFor();
    await ui.runCommand('Live Schema: Migrate…', page.locator('.monaco-list-row[aria-label*="This file"]'));
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row[aria-label*="Preview first"]').waitFor();
    await ui.quickInput('Preview first');
    await page.keyboard.press('Enter');
    // The refactor preview lists the file, its change unticked: VS Code leaves an edit that needs
    // confirmation for the user to tick. Ticked, the diff shows the builder code.
    const preview = page.locator('.bulk-edit-panel');
    const fileRow = preview.locator('.monaco-list-row', { hasText: 'customers.ts' }).first();
    await fileRow.waitFor();
    const tick = fileRow.locator('input.edit-checkbox');
    assert.equal(await tick.isChecked(), false);
    await tick.check();
    await preview.locator('.monaco-list-row', { hasText: 'compiledQuery' }).first().click();
    await page.locator('.monaco-diff-editor .view-line', { hasText: "selectFrom('customers')" }).first().waitFor();
    await page.screenshot({ path: screenshotPath('refactor-preview.png') });
    assert.doesNotMatch(readFileSync(file, 'utf8'), /selectFrom/, 'nothing is written before Apply');

    await preview.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await preview.waitFor({ state: 'hidden' });
    await ui.runCommand('File: Save All Files');
    await eventually(() => assert.match(readFileSync(file, 'utf8'), /\.selectFrom\('customers'\)/));

    // The README's picture: the Migrations view with this migration, the Schema Explorer, and a
    // wrong column reported in a .sql file.
    // The activity-bar entry toggles the side bar: clicked only when the container is hidden.
    const container = page.locator('[id="workbench.view.extension.liveSchema"]');
    if (!(await container.isVisible()))
      await page.locator('.part.activitybar li.action-item a[aria-label="Live Schema"]').click();
    await container.locator('.monaco-list-row', { hasText: '→ Kysely' }).first().waitFor();
    await ui.openFile('report.sql');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'prise_cents' }).first().waitFor();
    await ui.runCommand('Notifications: Clear All Notifications');
    await page.screenshot({ path: screenshotPath('screenshot.png') });
  });

  /**
   * The README's pictures are refreshed on request only (LIVE_SCHEMA_UPDATE_SCREENSHOT=1), so a
   * test run leaves the checkout clean; otherwise they go to the run directory.
   */
  function screenshotPath(name: string): string {
    return process.env.LIVE_SCHEMA_UPDATE_SCREENSHOT ? path.join(ROOT, 'media', name) : path.join(run, name);
  }
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}
