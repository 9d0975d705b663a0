/**
 * Finding SQL and static references in a generated workspace: 5,000 files (TS, JS, Python; 10 %
 * with SQL), read from disk and extracted one after another. Goals (issue 7): the whole workspace
 * under 20 s on a 2-core machine, one changed file under 50 ms.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractEmbedded } from '../server/src/embedded/extract';
import { benchSnapshot, CODE_FILES, codeFile, pythonFile, typescriptFile } from './generatedWorkspace';
import { fmt, medianMs, peakRssMb, report } from './measure';

/** Extraction over a generated workspace of 5,000 files, and the re-extraction of one changed file. */
export async function benchEmbeddedExtraction(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ls-bench-embedded-'));
  try {
    const files: string[] = [];
    let bytes = 0;
    for (let i = 0; i < CODE_FILES; i++) {
      const { extension, text } = codeFile(i);
      const name = join(dir, `module${i}.${extension}`);
      bytes += text.length;
      await writeFile(name, text);
      files.push(name);
    }
    process.stdout.write(
      `\nEmbedded SQL extraction, ${fmt(CODE_FILES)} files (${fmt(bytes / 1048576, 1)} MB), 10 % with SQL\n`,
    );
    const snapshot = benchSnapshot();
    // The Python grammar loads once per process; load it before the clock starts, as a server would.
    await extractEmbedded('warm.py', 'x = 1\n', { dialect: 'postgres', snapshot });

    let regions = 0;
    let dependencies = 0;
    const started = performance.now();
    const { peakMb } = await peakRssMb(async () => {
      for (const file of files) {
        const result = await extractEmbedded(file, await readFile(file, 'utf8'), { dialect: 'postgres', snapshot });
        regions += result.regions.length;
        dependencies += result.dependencies.length;
      }
    });
    const totalMs = performance.now() - started;

    const changedTs = files[0];
    const changedPy = files[2];
    const oneTs = await medianMs(9, async () => {
      await writeFile(changedTs, typescriptFile(0, true) + '\nexport const touched = 1;\n');
      await extractEmbedded(changedTs, await readFile(changedTs, 'utf8'), { dialect: 'postgres', snapshot });
    });
    const onePy = await medianMs(9, async () => {
      await writeFile(changedPy, pythonFile(2, true) + '\ntouched = 1\n');
      await extractEmbedded(changedPy, await readFile(changedPy, 'utf8'), { dialect: 'postgres', snapshot });
    });

    report('full extraction', `${fmt(totalMs / 1000, 2)} s`, 'goal < 20 s');
    report('files per second', fmt(CODE_FILES / (totalMs / 1000)));
    report('SQL regions found', fmt(regions));
    report('static dependencies found', fmt(dependencies));
    report('peak RSS during extraction', `${fmt(peakMb)} MB`);
    report('one changed TypeScript file (write + read + extract)', `${fmt(oneTs, 1)} ms`, 'goal < 50 ms');
    report('one changed Python file (write + read + extract)', `${fmt(onePy, 1)} ms`, 'goal < 50 ms');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
