import type { SettingsError } from './connectionSettings';
import { ALLOW_ENV_VARIABLE, type ConfigTrust } from './trust';

/** `${env:VAR}` references in settings, and who may expand them (see SECURITY.md). */

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
export const WHOLE_ENV_REFERENCE = /^\s*\$\{env:[A-Za-z_][A-Za-z0-9_]*\}\s*$/;

/** Settings are shallow; anything deeper is hostile or broken and is refused before recursing. */
const MAX_SETTINGS_DEPTH = 8;

/** A `${env:VAR}` that was replaced, remembered so that no message repeats its value. */
export interface Expansion {
  name: string;
  value: string;
}

export interface ExpandContext {
  env: NodeJS.ProcessEnv;
  trust: ConfigTrust;
  expansions: Expansion[];
}

/** Puts `${env:VAR}` back wherever the value of VAR (or its JSON-escaped form) appears in a message. */
export function redact(message: string, expansions: Expansion[]): string {
  let out = message;
  for (const { name, value } of [...expansions].sort((a, b) => b.value.length - a.value.length)) {
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1)]))
      if (form) out = out.split(form).join(`\${env:${name}}`);
  }
  return out;
}

/**
 * Replaces `${env:VAR}` in every string of the entry; a missing variable is an error naming the
 * key. In repository config only a whole `url` or an allowed variable is expanded: the repository
 * must not send the user's environment to a host it names.
 */
export function expandEnv(
  value: unknown,
  context: ExpandContext,
  key: string,
  depth = 0,
): { value: unknown } | { errors: SettingsError[] } {
  if (depth > MAX_SETTINGS_DEPTH)
    return { errors: [{ key, message: `nested more than ${MAX_SETTINGS_DEPTH} levels deep` }] };
  if (typeof value === 'string') {
    const { env, trust, expansions } = context;
    const names = [...value.matchAll(ENV_REFERENCE)].map((m) => m[1]);
    const wholeUrl = depth === 1 && key.endsWith('.url') && WHOLE_ENV_REFERENCE.test(value);
    const refused =
      trust.origin === 'repository' && !wholeUrl ? names.find((name) => !trust.allowEnv.has(name)) : undefined;
    if (refused !== undefined)
      return {
        errors: [
          {
            key,
            message: `\${env:${refused}} is not expanded in the project's configuration; allow it outside the project with ${ALLOW_ENV_VARIABLE}=${refused} or the user setting liveSchema.allowEnv`,
          },
        ],
      };
    const missing = names.filter((name) => env[name] === undefined);
    if (missing.length > 0) return { errors: [{ key, message: `environment variable ${missing[0]} is not set` }] };
    for (const name of names) expansions.push({ name, value: env[name] ?? '' });
    return { value: value.replace(ENV_REFERENCE, (_, name: string) => env[name] ?? '') };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const r = expandEnv(item, context, `${key}[${i}]`, depth + 1);
      if ('errors' in r) return r;
      out.push(r.value);
    }
    return { value: out };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const r = expandEnv(item, context, `${key}.${k}`, depth + 1);
      if ('errors' in r) return r;
      out[k] = r.value;
    }
    return { value: out };
  }
  return { value };
}
