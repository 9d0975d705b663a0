import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrustAnnotation } from '../../server/src/protocol/trustAnnotation';
import { TRUST_ANNOTATION_KEY } from '../../server/src/protocol/trustAnnotation';

/** Settings as a `settings.json` holds them under `liveSchema`, nested: `{ validation: { debounceMs: 150 } }`. */
export type Settings = Record<string, unknown>;

/** Where each value comes from, as in VS Code: the user's settings, the workspace's, each folder's. */
export interface SettingsLayers {
  user: Settings;
  workspace: Settings;
  /** By folder path: a multi-root workspace's `<folder>/.vscode/settings.json`. */
  folders: Record<string, Settings>;
  workspaceTrusted: boolean;
}

const SECTION = 'liveSchema';

interface Contributed {
  defaults: Settings;
  /** Settings VS Code reads from the user's settings only (`"scope": "application"`). */
  applicationScoped: Set<string>;
}

/** The defaults and scopes of the extension manifest's `contributes.configuration`, as VS Code reads them. */
const contributed: Contributed = (() => {
  const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown; scope?: string }> }[] };
  };
  const defaults: Settings = {};
  const applicationScoped = new Set<string>();
  for (const { properties } of manifest.contributes.configuration)
    for (const [key, property] of Object.entries(properties)) {
      const relative = key.slice(SECTION.length + 1);
      if (property.scope === 'application') applicationScoped.add(relative);
      setPath(defaults, relative.split('.'), property.default);
    }
  return { defaults, applicationScoped };
})();

function setPath(target: Settings, keys: string[], value: unknown): void {
  const [first, ...rest] = keys;
  if (rest.length === 0) target[first] = value;
  else setPath((target[first] ??= {}) as Settings, rest, value);
}

const isObject = (v: unknown): v is Settings => v !== null && typeof v === 'object' && !Array.isArray(v);

/** VS Code merges objects key by key across layers; any other value (arrays too) replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : structuredClone(over);
  const result: Settings = { ...base };
  for (const [key, value] of Object.entries(over)) result[key] = merge(base[key], value);
  return result;
}

/** A workspace layer without the settings VS Code ignores there (application-scoped ones). */
function withoutApplicationScoped(settings: Settings): Settings {
  const copy = structuredClone(settings);
  for (const key of contributed.applicationScoped) {
    const keys = key.split('.');
    const parent = keys.slice(0, -1).reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), copy);
    if (isObject(parent)) delete parent[keys[keys.length - 1]];
  }
  return copy;
}

/** The folder whose settings apply to `scopeUri`: the innermost one containing it. */
function folderOf(layers: SettingsLayers, scopeUri: string | undefined): Settings | undefined {
  if (!scopeUri) return undefined;
  const file = fileURLToPath(scopeUri);
  const folder = Object.keys(layers.folders)
    .filter((f) => file === f || file.startsWith(f + path.sep))
    .sort((a, b) => b.length - a.length)[0];
  return folder === undefined ? undefined : layers.folders[folder];
}

/**
 * Answers one `workspace/configuration` item the way VS Code and the extension's client do:
 * `getConfiguration(section, scopeUri)` merges the manifest defaults, the user's, the workspace's
 * and the folder's values; the client then adds where the connections came from (client/src/settingsTrust.ts).
 */
export function configurationFor(layers: SettingsLayers, item: { section?: string; scopeUri?: string }): unknown {
  if (item.section !== SECTION) return null;
  const folder = folderOf(layers, item.scopeUri);
  const fromWorkspace = [layers.workspace, folder].filter((s): s is Settings => s !== undefined);
  const value = [layers.user, ...fromWorkspace.map(withoutApplicationScoped)].reduce<unknown>(
    merge,
    contributed.defaults,
  ) as Settings;
  const allowEnv = layers.user.allowEnv;
  const trust: TrustAnnotation = {
    connections: fromWorkspace.some((s) => s.connections !== undefined) ? 'repository' : 'user',
    allowEnv: Array.isArray(allowEnv) ? allowEnv.filter((v): v is string => typeof v === 'string') : [],
    workspaceTrusted: layers.workspaceTrusted,
  };
  return { ...value, [TRUST_ANNOTATION_KEY]: trust };
}
