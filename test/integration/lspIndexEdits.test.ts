/**
 * Editor edits and the workspace index, over stdio: an edit reaches the index after a pause in
 * typing, and a document closed before the pause ends counts as the file on disk, not as the
 * unsaved text it was closed with. The order is observed through a second document edited after
 * the first: its update lands after the first's would have, so no sleep is needed.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Location } from 'vscode-languageserver-protocol';
import { TestLanguageClient } from '../support/lspClient';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let folder: string;
let client: TestLanguageClient;

/** The files whose references to `customers` the explorer lists, from the index. */
async function filesUsingCustomers(): Promise<string[]> {
  const { locations } = await client.connection.sendRequest<{ locations: Location[] }>('liveSchema/schemaReferences', {
    connection: 'embedded',
    schema: 'public',
    relation: 'customers',
  });
  return [...new Set(locations.map((l) => path.relative(folder, fileURLToPath(l.uri))))].sort();
}

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ls-index-edits-'));
  await cp(path.join(repo, 'test/fixtures/embedded/parity'), folder, { recursive: true });
  client = new TestLanguageClient({});
  await client.initialize(folder);
});
after(async () => {
  await client?.shutdown();
  if (folder) await rm(folder, { recursive: true, force: true });
});

test('an edit reaches the index after a pause; a document closed before it counts as the file on disk', async () => {
  const before = await filesUsingCustomers();
  assert.ok(!before.includes('app/orders.py') && before.includes('app/customers.js'), before.join(', '));

  // Edited to use customers, then closed unsaved before the pause ends: the disk (no use) counts.
  const orders = path.join(folder, 'app/orders.py');
  const ordersUri = await client.open(orders, await readFile(orders, 'utf8'), 'python');
  await client.change(ordersUri, 'def names(cur):\n    cur.execute("SELECT name FROM customers")\n');
  await client.close(ordersUri);

  // Edited after it, so this update reaches the index after the closed document's would have.
  const customers = path.join(folder, 'app/customers.js');
  const customersUri = await client.open(customers, await readFile(customers, 'utf8'), 'javascript');
  await client.change(customersUri, 'module.exports = {};\n');
  let now = await filesUsingCustomers();
  for (let updates = 0; updates < 10 && now.includes('app/customers.js'); updates++) {
    await client.notification('liveSchema/staticDependenciesChanged');
    now = await filesUsingCustomers();
  }
  assert.ok(!now.includes('app/customers.js'), `the edit reached the index: ${now.join(', ')}`);
  assert.ok(!now.includes('app/orders.py'), `the closed document's unsaved text is not indexed: ${now.join(', ')}`);
});
