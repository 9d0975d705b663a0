import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RefreshSchema } from '../../server/src/protocol/customMessages';
import { TestLanguageClient } from '../support/lspClient';

const WARNING = 2;
const GEO = 'db/2_geo.sql:2:1: not applied, PostgreSQL says: extension "postgis" is not available';
const GRAPH = 'db/3_graph.sql:1:8: not applied, PostgreSQL says: syntax error at or near "PROPERTY"';

/**
 * What the embedded build warned about reaches the editor user as the CLI prints it: once per
 * change of the warnings, as a notice naming the file and line, each line in the server's output.
 */
describe('language server over stdio: discovery warnings of the embedded build', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ls-warnings-'));
  let client: TestLanguageClient;
  const geoNotices = () =>
    client.messages.filter((m) => m.message.includes('db/2_geo.sql')).map(({ type, message }) => ({ type, message }));

  before(async () => {
    mkdirSync(path.join(root, 'db'));
    writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE kept (id int);');
    writeFileSync(
      path.join(root, 'db/2_geo.sql'),
      '-- places\nCREATE EXTENSION postgis;\nCREATE TABLE places (id int);\n',
    );
    client = new TestLanguageClient({});
    await client.initialize(root);
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('a schema file that did not apply is shown once with its line, not again on a refresh', async () => {
    await client.open(path.join(root, 'q.sql'), 'select id from kept;\n');
    await client.shownMessage(/2_geo/);
    assert.deepEqual(geoNotices(), [{ type: WARNING, message: `Live Schema (embedded): ${GEO}` }]);
    assert.ok(
      client.logs.some((line) => line.endsWith(`embedded: ${GEO}`)),
      client.logs.join('\n'),
    );

    await client.connection.sendRequest(RefreshSchema.type, { connection: 'embedded' });
    await client.connection.sendRequest(RefreshSchema.type, { connection: 'embedded' });
    assert.equal(geoNotices().length, 1, JSON.stringify(client.messages));
  });

  test('a new warning shows again, the first in the notice and every one in the output', async () => {
    writeFileSync(path.join(root, 'db/3_graph.sql'), 'CREATE PROPERTY GRAPH shop VERTEX TABLES (kept);\n');
    await client.connection.sendRequest(RefreshSchema.type, { connection: 'embedded' });
    assert.deepEqual(geoNotices(), [
      { type: WARNING, message: `Live Schema (embedded): ${GEO}` },
      { type: WARNING, message: `Live Schema (embedded): ${GEO} (and 1 more; see the output)` },
    ]);
    assert.ok(
      client.logs.some((line) => line.endsWith(`embedded: ${GRAPH}`)),
      client.logs.join('\n'),
    );
  });
});
