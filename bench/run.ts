/**
 * `npm run bench [-- --sizes 1000,10000 --only discovery]`: prints figures and ratios against each
 * floor. Never part of `npm test`: performance is reported, not asserted.
 */
import { parseArgs } from 'node:util';
import { benchAnalysis } from './analysis';
import { benchCache } from './cache';
import { benchEmbeddedExtraction } from './embeddedIndex';
import { benchLanguageServer } from './languageServer';
import { benchMigrationDifferential } from './migrationDifferential';
import { benchMigrations } from './migrations';
import { benchMysqlDiscovery } from './mysqlDiscovery';
import { benchPostgresDiscovery } from './postgresDiscovery';
import { benchSqlAlchemyDifferential } from './sqlalchemyDifferential';
import { benchWorkspaceIndex } from './workspaceIndex';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,10000' }, only: { type: 'string' } },
});
const sizes = values.sizes.split(',').map(Number);

const sections: Record<string, () => Promise<void>> = {
  discovery: () => benchPostgresDiscovery(sizes),
  'mysql-discovery': () => benchMysqlDiscovery(sizes),
  cache: () => benchCache(sizes),
  analysis: () => benchAnalysis(),
  lsp: () => benchLanguageServer(),
  embedded: () => benchEmbeddedExtraction(),
  'workspace-index': () => benchWorkspaceIndex(),
  migrations: () => benchMigrations(),
  'sqlalchemy-differential': () => benchSqlAlchemyDifferential(),
  'migration-differential': () => benchMigrationDifferential(),
};

for (const [name, run] of Object.entries(sections)) {
  if (values.only && !values.only.split(',').includes(name)) continue;
  process.stdout.write(`\n# ${name}\n`);
  await run();
}
