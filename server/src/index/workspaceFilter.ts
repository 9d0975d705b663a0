/**
 * Which files of a folder the workspace index reads: `.sql` files and the host languages
 * `embedded/` reads, minus `node_modules`, VCS folders, what `.gitignore` files exclude and the
 * user's exclude globs (VS Code `files.exclude` style, relative to the root).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { hostLanguageOf, type HostLanguage } from '../embedded/extract';

/** What the index reads a file as. */
export type IndexedLanguage = 'sql' | HostLanguage;

/** Folders never indexed, wherever they are. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** The language the index reads a file as, or undefined for files it does not read. */
export function indexedLanguageOf(file: string): IndexedLanguage | undefined {
  return file.toLowerCase().endsWith('.sql') ? 'sql' : hostLanguageOf(file);
}

export interface WorkspaceFilterOptions {
  /** The folder indexed; exclude globs and `.gitignore` files are read relative to it. */
  root: string;
  /** Globs of files or folders to leave out (`**∕dist`, `legacy/**`), relative to the root. */
  exclude?: string[];
  /** Honour `.gitignore` files (default true). */
  gitignore?: boolean;
}

/** Decides which files the index reads, and lists them. `.gitignore` files are read once and cached. */
export class WorkspaceFilter {
  readonly root: string;
  private readonly excluded: (relative: string) => boolean;
  private readonly useGitignore: boolean;
  /** Folder (absolute) → its `.gitignore` rules, or null when it has none. */
  private readonly gitignores = new Map<string, ignore.Ignore | null>();

  constructor(options: WorkspaceFilterOptions) {
    this.root = path.resolve(options.root);
    const globs = options.exclude ?? [];
    this.excluded = globs.length ? picomatch(globs, { dot: true }) : () => false;
    this.useGitignore = options.gitignore ?? true;
  }

  /** Forgets cached `.gitignore` rules (call when one changes). */
  forgetGitignores(): void {
    this.gitignores.clear();
  }

  /** Whether the index reads `file` (an absolute path): a readable language, under the root, not excluded. */
  async includes(file: string): Promise<boolean> {
    const full = path.resolve(file);
    if (!indexedLanguageOf(full)) return false;
    const relative = path.relative(this.root, full);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    const parts = relative.split(path.sep);
    let folder = this.root;
    const ancestors: string[] = [this.root];
    for (const [i, part] of parts.entries()) {
      const isFile = i === parts.length - 1;
      if (!isFile && SKIPPED_FOLDERS.has(part)) return false;
      if (this.excluded(parts.slice(0, i + 1).join('/'))) return false;
      const candidate = path.join(folder, part);
      if (await this.gitignored(candidate, !isFile, ancestors)) return false;
      folder = candidate;
      ancestors.push(folder);
    }
    return true;
  }

  /**
   * The files the index reads under `start` (the root by default), in a stable order. Ignored
   * folders are not entered; symbolic links are not followed (they could loop).
   */
  async files(start = this.root, signal?: AbortSignal): Promise<string[]> {
    const first = path.resolve(start);
    const ancestors: string[] = [];
    for (let folder = first; ; folder = path.dirname(folder)) {
      ancestors.unshift(folder);
      if (folder === this.root || path.dirname(folder) === folder) break;
    }
    const found: string[] = [];
    const visit = async (folder: string, chain: string[]): Promise<void> => {
      if (signal?.aborted) return;
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(folder, entry.name);
        const relative = path.relative(this.root, full).split(path.sep).join('/');
        if (entry.isDirectory()) {
          if (SKIPPED_FOLDERS.has(entry.name) || this.excluded(relative)) continue;
          if (await this.gitignored(full, true, chain)) continue;
          await visit(full, [...chain, full]);
        } else if (entry.isFile() && indexedLanguageOf(entry.name)) {
          if (this.excluded(relative) || (await this.gitignored(full, false, chain))) continue;
          found.push(full);
        }
      }
    };
    await visit(
      first,
      ancestors.filter((a) => !path.relative(this.root, a).startsWith('..')),
    );
    return found;
  }

  /** Git's rule: the deepest `.gitignore` with a matching pattern decides, `!pattern` re-includes. */
  private async gitignored(target: string, isFolder: boolean, folders: string[]): Promise<boolean> {
    if (!this.useGitignore) return false;
    let ignored = false;
    for (const folder of folders) {
      const rules = await this.gitignoreOf(folder);
      if (!rules) continue;
      const relative = path.relative(folder, target).split(path.sep).join('/');
      const verdict = rules.test(isFolder ? `${relative}/` : relative);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }

  private async gitignoreOf(folder: string): Promise<ignore.Ignore | null> {
    const cached = this.gitignores.get(folder);
    if (cached !== undefined) return cached;
    const text = await readFile(path.join(folder, '.gitignore'), 'utf8').catch(() => undefined);
    const rules = text === undefined ? null : ignore().add(text);
    this.gitignores.set(folder, rules);
    return rules;
  }
}
