import { createRequire } from 'node:module';
import path from 'node:path';

const { version } = createRequire(import.meta.url)('vscode-languageclient/package.json') as { version: string };

/**
 * The recorded capabilities of the installed vscode-languageclient: after an upgrade the file is
 * missing, and test/support/recordClientCapabilities.ts records the new version's.
 */
export const CAPABILITIES_FIXTURE = path.resolve(
  import.meta.dirname,
  `../fixtures/lsp/vscode-languageclient-${version}.capabilities.json`,
);
