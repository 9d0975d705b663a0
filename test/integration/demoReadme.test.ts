import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The shipped bin, as `npm run demo` runs it after building. */
const CLI = path.join(ROOT, 'server/out/cli.js');

/** The output the README prints under "Try it". */
function readmeDemoOutput(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /`npm run demo` builds[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README shows the demo output');
  return block[1].trimEnd().split('\n');
}

/** Times vary; everything else the README shows must be printed as shown. */
const withoutTime = (line: string) => line.replace(/ in \d+ ms\./, ' in N ms.');

test('live-schema demo examples/shop prints what the README shows, in that order', { timeout: 120_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'demo', 'examples/shop'], { cwd: ROOT });
  const printed = stdout.split('\n').map(withoutTime);
  let at = 0;
  for (const shown of readmeDemoOutput().map(withoutTime)) {
    // "…" stands for lines left out, a trailing " …" for the rest of a line.
    if (shown.trim() === '…') continue;
    const matches = (line: string) => (shown.endsWith(' …') ? line.startsWith(shown.slice(0, -2)) : line === shown);
    const found = printed.findIndex((line, i) => i >= at && matches(line));
    assert.ok(found >= 0, `printed after line ${at}: ${shown}\n--- printed:\n${printed.join('\n')}`);
    at = found + 1;
  }
});
