import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Command, ItemKind, McpProvider, View } from '../../client/src/ids';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/config/settings';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    mcpServerDefinitionProviders: { id: string; label: string }[];
    walkthroughs: {
      id: string;
      steps: {
        id: string;
        title: string;
        description: string;
        media: { markdown?: string };
        completionEvents?: string[];
      }[];
    }[];
    configuration: {
      title: string;
      properties: Record<
        string,
        { description?: string; markdownDescription?: string; type?: unknown; default?: unknown }
      >;
    }[];
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);

test('every command the client registers is contributed with the "Live Schema" category, and no other', () => {
  assert.deepEqual([...contributed].sort(), Object.values(Command).sort());
  for (const command of manifest.contributes.commands) assert.equal(command.category, 'Live Schema', command.command);
});

test('menus name only contributed commands and known tree item kinds', () => {
  const kinds = new Set<string>(Object.values(ItemKind));
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) {
      assert.ok(contributed.includes(entry.command), `${menu}: ${entry.command}`);
      for (const [, kind] of (entry.when ?? '').matchAll(/viewItem == (\w+)/g))
        assert.ok(kinds.has(kind), `${menu}: unknown viewItem ${kind}`);
    }
  }
});

test('the views and their container are the ones the client registers', () => {
  assert.deepEqual(
    manifest.contributes.viewsContainers.activitybar.map((c) => c.id),
    [View.container],
  );
  assert.deepEqual(
    manifest.contributes.views[View.container]?.map((v) => v.id),
    [View.schemaExplorer, View.staticDependencies, View.migrations],
  );
});

test('every contributed setting has a description and a type, and the server accepts its default', () => {
  for (const group of manifest.contributes.configuration) {
    for (const [key, schema] of Object.entries(group.properties)) {
      assert.ok(schema.description ?? schema.markdownDescription, `${key} has no description`);
      assert.ok(schema.type, `${key} has no JSON-schema type`);
      if (schema.default === undefined) continue;
      const path = key.replace(/^liveSchema\./, '').split('.');
      const section: Record<string, unknown> = {};
      let cursor = section;
      path.slice(0, -1).forEach((part) => (cursor = cursor[part] = {} as Record<string, unknown>));
      cursor[path[path.length - 1]] = schema.default;
      assert.deepEqual(parseSettings(section).errors, [], key);
    }
  }
});

test('the contributed defaults are the server’s defaults', () => {
  const properties = Object.assign(
    {},
    ...manifest.contributes.configuration.map((g) => g.properties),
  ) as Manifest['contributes']['configuration'][number]['properties'];
  assert.equal(properties['liveSchema.validation.maxFileSizeKb']?.default, DEFAULT_SETTINGS.validation.maxFileSizeKb);
  assert.equal(properties['liveSchema.validation.debounceMs']?.default, DEFAULT_SETTINGS.validation.debounceMs);
  assert.equal(properties['liveSchema.cache.pollIntervalSeconds']?.default, DEFAULT_SETTINGS.cache.pollIntervalSeconds);
  assert.equal(properties['liveSchema.cache.ttlSeconds']?.default, DEFAULT_SETTINGS.cache.ttlSeconds);
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS.migrations))
    assert.equal(properties[`liveSchema.migrations.${key}`]?.default, value, key);
});

test('the MCP server definition provider is contributed under the id the client registers', () => {
  assert.deepEqual(
    manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id),
    [McpProvider.id],
  );
});

test('the walkthrough: each step links a command that exists and shows a page the .vsix carries', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.deepEqual(
    walkthrough.steps.map((s) => s.id),
    ['connect', 'diagnostics', 'explorer', 'migrate'],
  );
  // Commands of VS Code itself, and the focus command VS Code creates for each contributed view.
  const workbench = new Set([
    'workbench.actions.view.problems',
    ...Object.values(manifest.contributes.views)
      .flat()
      .map((v) => `${v.id}.focus`),
  ]);
  const vscodeignore = readFileSync(new URL('../../.vscodeignore', import.meta.url), 'utf8');
  for (const step of walkthrough.steps) {
    const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.ok(linked.length > 0, `${step.id} links no command`);
    for (const command of linked)
      assert.ok(contributed.includes(command) || workbench.has(command), `${step.id}: unknown command ${command}`);
    const page = step.media.markdown;
    assert.ok(page && existsSync(new URL(`../../${page}`, import.meta.url)), `${step.id}: ${page} is missing`);
    assert.match(vscodeignore, /^!media\/walkthrough\/\*\.md$/m, 'the .vsix leaves the walkthrough pages out');
  }
  // The steps the issue asks for, each with its command.
  const links = walkthrough.steps.map((s) => s.description).join('\n');
  for (const command of [Command.addConnection, Command.migrate, Command.rollBackLastMigration])
    assert.ok(links.includes(`(command:${command})`), command);
});
