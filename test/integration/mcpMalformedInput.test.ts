/**
 * `live-schema mcp` given bytes that are not JSON-RPC: the bundled CLI spawned over stdio and
 * written to raw, as a broken or hostile client would. Every malformed line gets the JSON-RPC
 * error the spec names (id null), and the server goes on answering well-formed requests.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'server/out/cli.js');
const BOUND_MS = 20_000;
let root: string;

before(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  root = await mkdtemp(path.join(tmpdir(), 'ls-mcp-raw-'));
});

after(() => rm(root, { recursive: true, force: true }));

interface Reply {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

test('malformed lines get -32700 / -32600 with id null, and the server keeps serving', async () => {
  const started = Date.now();
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [cli, 'mcp', '--root', root, '--cache-dir', path.join(root, 'cache')], {
    cwd: root,
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const replies: Reply[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    replies.push(JSON.parse(line) as Reply);
    waiters.shift()?.();
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', () => reject(new Error(`the server ended without answering (${Date.now() - started} ms)`))),
  );
  exited.catch(() => undefined);
  const nextReply = async (): Promise<Reply> => {
    if (replies.length === 0) await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
    return replies.shift()!;
  };
  const timer = setTimeout(() => child.kill(), BOUND_MS);
  try {
    child.stdin.write('{"jsonrpc":"2.0","id":1,"method":\n');
    assert.deepEqual(await nextReply(), { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });

    child.stdin.write(Buffer.from([0xff, 0xfe, 0x00, 0x0a]));
    assert.equal((await nextReply()).error?.code, -32700);

    child.stdin.write('{"hello":"world"}\n');
    assert.deepEqual(await nextReply(), {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Invalid Request' },
    });

    const initialize = {
      jsonrpc: '2.0',
      id: 7,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    };
    child.stdin.write(`${JSON.stringify(initialize)}\n`);
    const answer = await nextReply();
    assert.equal(answer.id, 7);
    assert.ok(answer.result, JSON.stringify(answer));
  } finally {
    clearTimeout(timer);
    child.stdin.end();
    child.kill();
  }
  assert.ok(Date.now() - started < BOUND_MS, 'ends within its bound');
});
