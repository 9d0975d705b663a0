/**
 * Journal safety, randomized: sequences of migrate / user edit (inside and outside migrated
 * ranges) / rollback / reopen against a model of the files. After every step the files on disk
 * must equal the model byte for byte, every line the user wrote must be in a file or held by an
 * applied journal entry, and a rollback must either restore exactly or report conflicts and
 * change nothing. Reproduce a failure with JOURNAL_SEED=<printed seed>.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { JournalError, type FileEdit } from '../../server/src/migrate/journal/entry';
import { readJournal } from '../../server/src/migrate/journal/journalStore';
import { applyMigration, listEntries, rollback } from '../../server/src/migrate/journal/migrationJournal';

const SEQUENCES = Number(process.env.JOURNAL_SEQUENCES ?? 1000);
const STEPS = 10;
const FILES = ['src/a.ts', 'app/b.py'];

// Thousands of small file operations: on tmpfs where the machine has one, to keep the run short.
const work = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ls-journal-random-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** mulberry32: small, seedable, good enough to pick steps. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: T[]): T => items[Math.floor(next() * items.length)],
  };
}

interface Block {
  file: string;
  /** Lines the entry wrote (must stand together for a clean rollback) and the lines they replaced. */
  lines: string[];
  original: string[];
}
interface ModelEntry {
  id: string;
  kind: 'migration' | 'rollback';
  undoes?: string;
  blocks: Block[];
  applied: boolean;
}

/** The expected world: each file as unique lines (each with its own line break), and the journal. */
class Model {
  files = new Map(FILES.map((f) => [f, [] as string[]]));
  entries: ModelEntry[] = [];
  userLines = new Set<string>();
  private counter = 0;

  constructor(private readonly random: ReturnType<typeof prng>) {}

  private eol() {
    return this.random.next() < 0.5 ? '\r\n' : '\n';
  }
  userLine() {
    const line = `const u${++this.counter} = 'user ñ€ ${this.random.int(1000)}';${this.eol()}`;
    this.userLines.add(line);
    return line;
  }
  /** The user types a few characters into a line (between two code points, before its line break). */
  typedInto(line: string) {
    const eol = line.endsWith('\r\n') ? '\r\n' : '\n';
    const chars = Array.from(line.slice(0, -eol.length));
    chars.splice(this.random.int(chars.length + 1), 0, ` /*u${++this.counter}*/ `);
    const typed = chars.join('') + eol;
    this.userLines.add(typed);
    return typed;
  }
  migratedLine() {
    return `db.selectFrom('t${++this.counter}').select('größe') // 🎉${this.eol()}`;
  }
  text(file: string) {
    return this.lines(file).join('');
  }
  lines(file: string) {
    return this.files.get(file)!;
  }
  offset(file: string, index: number) {
    return this.lines(file).slice(0, index).join('').length;
  }
  /** Where a block's lines stand together in its file, or -1 (edited, moved apart or gone). */
  intactAt(block: Block) {
    const lines = this.lines(block.file);
    const at = lines.indexOf(block.lines[0]);
    return at >= 0 && block.lines.every((line, i) => lines[at + i] === line) ? at : -1;
  }
  /**
   * An entry stands applied unless a later entry that stands applied undoes it. Computed from the
   * newest entry back, since one migration can be undone by several rollbacks (the last, then a
   * rollback of a rollback re-applies it, then another rollback): flipping states along one chain
   * would call it applied while a later rollback still holds it undone.
   */
  recomputeApplied() {
    for (const entry of [...this.entries].reverse())
      entry.applied = !this.entries.some((later) => later.undoes === entry.id && later.applied);
  }
}

function writeModel(root: string, model: Model, file: string) {
  writeFileSync(path.join(root, file), model.text(file));
}

async function migrate(root: string, model: Model, random: ReturnType<typeof prng>, log: string[]) {
  const edits: FileEdit[] = [];
  const blocks: Block[] = [];
  for (const file of random.next() < 0.3 ? FILES : [random.pick(FILES)]) {
    const lines = model.lines(file);
    if (lines.length === 0) continue;
    const start = random.int(lines.length);
    const end = Math.min(lines.length, start + 1 + random.int(3));
    const original = lines.slice(start, end);
    const replacement = Array.from({ length: 1 + random.int(3) }, () => model.migratedLine());
    const from = model.offset(file, start);
    edits.push({
      file,
      start: from,
      end: from + original.join('').length,
      originalText: original.join(''),
      newText: replacement.join(''),
    });
    blocks.push({ file, lines: replacement, original });
  }
  if (edits.length === 0) return;
  const result = await applyMigration(root, edits, {
    target: random.pick(['kysely', 'knex', 'sqlalchemy']),
    description: 'random',
  });
  assert.deepEqual(result.conflicts, [], 'a fresh migration applies');
  for (const block of blocks) {
    const lines = model.lines(block.file);
    lines.splice(lines.indexOf(block.original[0]), block.original.length, ...block.lines);
  }
  model.entries.push({ id: result.entry.id, kind: 'migration', blocks, applied: true });
  log.push(
    `migrate ${result.entry.id} ${blocks.map((b) => `${b.file}:${b.original.length}->${b.lines.length}`).join(' ')}`,
  );
}

function userEdit(root: string, model: Model, random: ReturnType<typeof prng>, log: string[]) {
  const applied = model.entries
    .filter((e) => e.applied)
    .flatMap((e) => e.blocks)
    .filter((b) => model.intactAt(b) >= 0);
  const inside = applied.length > 0 && random.next() < 0.5;
  const block = inside ? random.pick(applied) : undefined;
  const file = block?.file ?? random.pick(FILES);
  const lines = model.lines(file);
  // Inside: a line of the block, or between two of its lines; outside: anywhere, boundaries included.
  const index = block ? model.intactAt(block) + random.int(block.lines.length) : random.int(lines.length + 1);
  const action =
    lines.length === 0 || index >= lines.length ? 'insert' : random.pick(['insert', 'modify', 'type', 'delete']);
  const at = block && action === 'insert' ? index + 1 : index;
  const insertInside =
    block && action === 'insert' && at === model.intactAt(block) + block.lines.length ? false : Boolean(block);
  if (action === 'insert') lines.splice(at, 0, model.userLine());
  else {
    model.userLines.delete(lines[at]);
    if (action === 'modify') lines.splice(at, 1, model.userLine());
    else if (action === 'type') lines.splice(at, 1, model.typedInto(lines[at]));
    else lines.splice(at, 1);
  }
  writeModel(root, model, file);
  log.push(`user ${action} ${file}:${at} ${insertInside ? 'inside' : 'outside'} a migrated range`);
}

async function rollbackStep(root: string, model: Model, random: ReturnType<typeof prng>, log: string[]) {
  const which = model.entries.length === 0 || random.next() < 0.5 ? 'last' : random.pick(model.entries).id;
  const target =
    which === 'last'
      ? model.entries.findLast((e) => e.kind === 'migration' && e.applied)
      : model.entries.find((e) => e.id === which);
  const before = FILES.map((f) => readFileSync(path.join(root, f)));
  if (!target?.applied) {
    await assert.rejects(rollback(root, which), JournalError);
    log.push(`rollback ${which}: refused (nothing to roll back)`);
    return;
  }
  const journalSize = readdirSync(path.join(root, '.live-schema', 'journal')).length;
  // A block still as written is restored; one whose original lines stand together again (the
  // change was undone by another path) needs nothing; anything else is a conflict.
  const isOriginal = (b: Block) => model.intactAt(b) < 0 && model.intactAt({ ...b, lines: b.original }) >= 0;
  const clean = target.blocks.every((b) => model.intactAt(b) >= 0 || isOriginal(b));
  const result = await rollback(root, which);
  log.push(
    `rollback ${which} (${target.id}): ${result.conflicts.length} conflicts, expected ${clean ? 'none' : 'some'}`,
  );
  if (!clean) {
    assert.ok(
      result.conflicts.length > 0,
      `an edited range is a conflict ${JSON.stringify(FILES.map((f) => model.text(f)))} ${JSON.stringify(result)}`,
    );
    assert.deepEqual(result.restored, []);
    for (const conflict of result.conflicts)
      assert.ok(target.blocks.some((b) => b.file === conflict.file && b.lines.join('') === conflict.expected));
    const now = FILES.map((f) => readFileSync(path.join(root, f)));
    assert.deepEqual(now, before, 'a conflict changes no file');
    assert.equal(
      readdirSync(path.join(root, '.live-schema', 'journal')).length,
      journalSize,
      'a refused rollback is not journaled',
    );
    return;
  }
  assert.deepEqual(result.conflicts, [], 'untouched ranges roll back');
  const blocks = target.blocks.map((b) => {
    if (isOriginal(b)) return { file: b.file, lines: b.original, original: b.original };
    model.lines(b.file).splice(model.intactAt(b), b.lines.length, ...b.original);
    return { file: b.file, lines: b.original, original: b.lines };
  });
  model.entries.push({ id: result.entry!.id, kind: 'rollback', undoes: target.id, blocks, applied: true });
  model.recomputeApplied();
}

async function reopen(root: string, model: Model, log: string[]) {
  // Nothing is kept in memory between calls: read the journal fresh and compare it to the model.
  const listed = await listEntries(root);
  assert.deepEqual(
    listed.map((e) => [e.id, e.kind, e.undoes, e.state.state]),
    model.entries.map((e) => [e.id, e.kind, e.undoes, e.applied ? 'applied' : 'rolled back']),
  );
  const journal = await readJournal(root);
  model.entries.forEach((entry, i) =>
    assert.deepEqual(
      journal[i]?.files.flatMap((f) => f.edits.map((e) => [f.path, e.originalText, e.newText])),
      entry.blocks.map((b) => [b.file, b.original.join(''), b.lines.join('')]),
      `journal entry ${entry.id} holds the replaced text`,
    ),
  );
  log.push(`reopen: ${listed.length} entries`);
}

/** Every user line is in a file or held by an applied entry; the files match the model exactly. */
function checkInvariants(root: string, model: Model) {
  const texts = FILES.map((f) => readFileSync(path.join(root, f)));
  FILES.forEach((file, i) =>
    assert.ok(texts[i].equals(Buffer.from(model.text(file), 'utf8')), `${file} matches the model`),
  );
  // Held by an applied entry: reopen checks that the journal on disk holds what the model says.
  const held = model.entries.filter((e) => e.applied).flatMap((e) => e.blocks.map((b) => b.original.join('')));
  const onDisk = texts.map((t) => t.toString('utf8')).join('') + held.join('');
  for (const line of model.userLines) assert.ok(onDisk.includes(line), `user line kept: ${line}`);
}

test(`journal safety: ${SEQUENCES} random sequences of migrate / edit / rollback / reopen`, async () => {
  const baseSeed = Number(process.env.JOURNAL_SEED ?? Date.now() % 1_000_000_000);
  const counts = { conflicts: 0, rollbacks: 0 };
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const seed = baseSeed + sequence;
    const random = prng(seed);
    const model = new Model(random);
    const root = path.join(work, `s${sequence}`);
    const log: string[] = [];
    try {
      for (const file of FILES) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        model.lines(file).push(...Array.from({ length: 2 + random.int(5) }, () => model.userLine()));
        writeModel(root, model, file);
      }
      for (let step = 0; step < STEPS; step++) {
        const roll = random.next();
        if (roll < 0.3) await migrate(root, model, random, log);
        else if (roll < 0.65) userEdit(root, model, random, log);
        else if (roll < 0.9) await rollbackStep(root, model, random, log);
        else await reopen(root, model, log);
        checkInvariants(root, model);
      }
      await reopen(root, model, log);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      assert.fail(`sequence failed — reproduce with JOURNAL_SEED=${seed}\n${log.join('\n')}\n${message}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    counts.rollbacks += log.filter((l) => l.startsWith('rollback') && !l.includes('refused')).length;
    counts.conflicts += log.filter((l) => /: [1-9]\d* conflicts/.test(l)).length;
  }
  // A reproduction run (one seed) need not see both outcomes; a full run must.
  if (SEQUENCES >= 100)
    assert.ok(counts.conflicts > 0 && counts.rollbacks > counts.conflicts, 'the sequences exercise both outcomes');
  console.log(
    `journal safety: ${SEQUENCES} sequences, ${counts.rollbacks} rollbacks, ${counts.conflicts} with conflicts`,
  );
});
