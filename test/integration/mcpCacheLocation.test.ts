/**
 * Where `live-schema mcp` keeps its schema cache: in the user's cache folder, keyed by the
 * project's real path, never in the repository, where whoever writes the repository could plant
 * a snapshot that would be served as fresh (issue 18, item 6). The bundled CLI over stdio.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'server/out/cli.js');
const BOUND_MS = 60_000;
let scratch: string;

before(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  scratch = await mkdtemp(path.join(tmpdir(), 'ls-mcp-cache-'));
});
after(() => rm(scratch, { recursive: true, force: true }));

test('the embedded schema is cached under XDG_CACHE_HOME, and nothing is written into the project', async () => {
  const started = Date.now();
  const project = path.join(scratch, 'project');
  const userCache = path.join(scratch, 'user-cache');
  await mkdir(project);
  await writeFile(path.join(project, 'schema.sql'), 'create table invoices (id int primary key, total_cents int);\n');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), XDG_CACHE_HOME: userCache };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', '--root', project],
    cwd: project,
    env,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'live-schema-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const result = await client.callTool({ name: 'search_schema', arguments: { query: 'invoices' } });
    assert.match((result.content as { text: string }[])[0].text, /"table":"invoices"/);
  } finally {
    await client.close();
  }
  const projects = await readdir(path.join(userCache, 'live-schema/projects'));
  assert.equal(projects.length, 1);
  const cached = await readdir(path.join(userCache, 'live-schema/projects', projects[0]));
  assert.equal(cached.filter((f) => f.endsWith('.json')).length, 1, 'one snapshot cached for the one connection');
  assert.deepEqual(await readdir(project), ['schema.sql'], 'no .live-schema/cache in the repository');
  assert.ok(Date.now() - started < BOUND_MS, 'ends within its bound');
});
