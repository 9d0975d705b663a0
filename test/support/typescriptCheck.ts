/**
 * Type-checks TypeScript files with the real compiler (the `typescript` package, noEmit, strict,
 * unused locals reported) in a temporary folder that links the project's node_modules, so the
 * files import the real `kysely` types.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import ts from 'typescript';

/** The compiler's errors for `files` (name → text), as `file.ts(line,column): message`; empty when it compiles. */
export function typeErrors(files: Record<string, string>): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'ls-tsc-'));
  try {
    symlinkSync(resolve('node_modules'), join(directory, 'node_modules'), 'dir');
    const roots = Object.entries(files).map(([name, text]) => {
      const file = join(directory, name);
      writeFileSync(file, text);
      return file;
    });
    const program = ts.createProgram(roots, {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      typeRoots: [resolve('node_modules/@types')],
      strict: true,
      noUnusedLocals: true,
      noEmit: true,
      skipLibCheck: true,
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${basename(diagnostic.file.fileName)}(${line + 1},${character + 1}): ${message}`;
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
