/**
 * Records the `ClientCapabilities` that vscode-languageclient (the client the extension ships)
 * sends in `initialize`, so the LSP integration tests announce exactly what VS Code announces.
 * The client's own features compute them; `vscode` is replaced by an inert stub because nothing
 * here talks to an editor. Run after upgrading vscode-languageclient:
 *   node --import tsx test/support/recordClientCapabilities.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import path from 'node:path';
import * as prettier from 'prettier';
import { CAPABILITIES_FIXTURE } from './clientCapabilitiesFixture';

const require = createRequire(import.meta.url);

/** Any property of the stub is another stub: constructors, functions, enums and events all work. */
function inert(): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : inert()),
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

const resolving = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = resolving._load;
// The client checks the editor's version against the one it requires: the stub is that version.
const { engines } = require('vscode-languageclient/package.json') as { engines: { vscode: string } };
const vscodeStub = new Proxy(inert() as object, {
  get: (target, key, receiver) =>
    key === 'version' ? engines.vscode.replace(/^\D*/, '') : (Reflect.get(target, key, receiver) as unknown),
});
resolving._load = (request, ...rest) => (request === 'vscode' ? vscodeStub : load(request, ...rest));

const { LanguageClient } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
// client/src/context.ts sets no option that changes what the client announces (e.g. markdown.supportHtml).
const client = new LanguageClient('liveSchema', 'Live Schema', { command: 'unused' }, { documentSelector: [] });
const capabilities = (client as unknown as { computeClientCapabilities(): unknown }).computeClientCapabilities();
// Formatted as the repository's prettier check wants it, so a re-recording differs only where the client does.
const options = await prettier.resolveConfig(CAPABILITIES_FIXTURE);
writeFileSync(
  CAPABILITIES_FIXTURE,
  await prettier.format(JSON.stringify(capabilities, null, 2), { ...options, filepath: CAPABILITIES_FIXTURE }),
);
console.log(`Wrote ${path.relative(process.cwd(), CAPABILITIES_FIXTURE)}`);
