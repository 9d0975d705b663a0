/**
 * The workspace index over a generated workspace: 5,000 code files (TS, JS, Python; 10 % with
 * SQL) plus 100 `.sql` files, walked, read and indexed as the language server does it, with its
 * worker threads. Goals (issue 22): the whole workspace under 15 s on a 2-core machine, one changed
 * file under 50 ms. The CPU time of all threads is printed beside the wall time: on a machine
 * other work shares, it shows what the index itself costs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkspaceIndex } from '../server/src/index/workspaceIndex';
import { benchSnapshot, CODE_FILES, codeFile, pythonFile, sqlFile, typescriptFile } from './generatedWorkspace';
import { fmt, medianMs, peakRssMb, report } from './measure';

const SQL_FILES = 100;

/** Full index, re-resolve after a schema change, and the re-index of one changed file. */
export async function benchWorkspaceIndex(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ls-bench-index-'));
  try {
    let bytes = 0;
    const write = async (file: string, text: string): Promise<void> => {
      bytes += text.length;
      await writeFile(join(root, file), text);
    };
    for (let folder = 0; folder < 50; folder++) await mkdir(join(root, `src/m${folder}`), { recursive: true });
    await mkdir(join(root, 'db'));
    for (let i = 0; i < CODE_FILES; i++) {
      const { extension, text } = codeFile(i);
      await write(`src/m${i % 50}/module${i}.${extension}`, text);
    }
    for (let i = 0; i < SQL_FILES; i++) await write(`db/${String(i).padStart(4, '0')}_migration.sql`, sqlFile(i));
    const total = CODE_FILES + SQL_FILES;
    process.stdout.write(
      `\nWorkspace index, ${fmt(total)} files (${fmt(bytes / 1048576, 1)} MB): ${fmt(CODE_FILES)} TS/JS/Python (10 % with SQL) + ${SQL_FILES} .sql\n`,
    );

    const index = new WorkspaceIndex({ root, snapshot: benchSnapshot() });
    // The Python grammar loads once per process; a server loads it before the first index too.
    await index.update(join(root, 'src/m2/module2.py'));
    // How long the event loop is blocked at a time while indexing: what a request waits at worst.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const { peakMb } = await peakRssMb(() => index.build());
    const fullMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const inWorkers = index.filesIndexedInWorkers();
    loopDelay.disable();
    const heapMb = process.memoryUsage().heapUsed / 1048576;

    // The same index on the calling thread alone, in the same conditions: what the threads bring.
    const aloneStarted = performance.now();
    const aloneCpuBefore = process.cpuUsage();
    await new WorkspaceIndex({ root, snapshot: benchSnapshot(), workers: 0 }).build();
    const aloneMs = performance.now() - aloneStarted;
    const aloneCpu = process.cpuUsage(aloneCpuBefore);

    const column1 = { kind: 'column' as const, schema: 'public', table: 'table_0', column: 'column_1' };
    let references = 0;
    const lookupMs = await medianMs(21, () => {
      references = index.referencesTo(column1).length;
      return Promise.resolve();
    });
    let dependencies = 0;
    const treeMs = await medianMs(21, () => {
      dependencies = index.staticDependencies().reduce((n, g) => n + g.count, 0);
      return Promise.resolve();
    });

    const changed = (file: string, text: string) => async () => {
      await writeFile(join(root, file), text);
      await index.update(join(root, file));
    };
    const oneTs = await medianMs(
      15,
      changed('src/m0/module0.ts', `${typescriptFile(0, true)}\nexport const touched = 1;\n`),
    );
    const onePy = await medianMs(15, changed('src/m2/module2.py', `${pythonFile(2, true)}\ntouched = 1\n`));
    const oneSql = await medianMs(15, changed('db/0000_migration.sql', `${sqlFile(0)}SELECT 1;\n`));

    // A column renamed in every table: the files that mention it are read again, the rest kept.
    const resolveStarted = performance.now();
    const resolved = await index.setSnapshot(benchSnapshot(true), benchSnapshot());
    const resolveMs = performance.now() - resolveStarted;

    report('full index (walk + read + index)', `${fmt(fullMs / 1000, 2)} s`, 'goal < 15 s on 2 cores');
    report('  CPU time, all threads', `${fmt((cpu.user + cpu.system) / 1e6, 2)} s`);
    report(
      '  files indexed by worker threads',
      `${fmt(inWorkers)} of ${fmt(total)}`,
      `${availableParallelism()} cores`,
    );
    report('full index on the calling thread alone', `${fmt(aloneMs / 1000, 2)} s`);
    report('  CPU time', `${fmt((aloneCpu.user + aloneCpu.system) / 1e6, 2)} s`);
    report('files per second', fmt(total / (fullMs / 1000)));
    report('peak RSS during the full index', `${fmt(peakMb)} MB`);
    report('event loop blocked while indexing, p99', `${fmt(loopDelay.percentile(99) / 1e6, 1)} ms`);
    report('event loop blocked while indexing, max', `${fmt(loopDelay.max / 1e6, 1)} ms`);
    report('heap used by the index afterwards', `${fmt(heapMb)} MB`);
    report('references to table_0.column_1', fmt(references));
    report('  lookup (median of 21)', `${fmt(lookupMs, 2)} ms`);
    report('static dependencies', fmt(dependencies));
    report('  grouped for the tree (median of 21)', `${fmt(treeMs, 1)} ms`);
    report('one changed TypeScript file (write + update)', `${fmt(oneTs, 1)} ms`, 'goal < 50 ms');
    report('one changed Python file (write + update)', `${fmt(onePy, 1)} ms`, 'goal < 50 ms');
    report('one changed .sql file, 40 statements', `${fmt(oneSql, 1)} ms`, 'goal < 50 ms');
    report(`schema change: ${fmt(resolved.total)} files mention the renamed column`, `${fmt(resolveMs / 1000, 2)} s`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
