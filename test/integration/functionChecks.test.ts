import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

/**
 * `unknown-function` and `type-mismatch` as a user meets them: `live-schema check` on a project
 * whose schema files build the embedded PostgreSQL (PGlite 18), with extensions and functions of
 * its own, and on one whose schema files did not all apply, where no call is judged.
 */

interface Reported {
  line: number;
  code: string;
  severity: string;
  message: string;
}

async function check(project: string, source = ['--schema-files', 'db']): Promise<Reported[]> {
  const run = await runCli(project, ['check', 'q.sql', ...source, '--format', 'json']);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return (JSON.parse(run.stdout) as { findings: Reported[] }).findings;
}

describe('an embedded schema with extensions and functions of its own', () => {
  let project: string;
  before(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'ls-functions-'));
    await mkdir(path.join(project, 'db'));
    await writeFile(
      path.join(project, 'db/schema.sql'),
      [
        'CREATE EXTENSION IF NOT EXISTS citext;',
        'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
        "CREATE TYPE mood AS ENUM ('happy', 'sad');",
        'CREATE TABLE users (id int PRIMARY KEY, email citext, name text, active boolean, feeling mood);',
        'CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql AS $$ SELECT lower(t) $$;',
      ].join('\n'),
    );
    await writeFile(
      path.join(project, 'q.sql'),
      [
        "SELECT similarity(name, 'x'), slugify(name), citext('A'), mood('sad'), upper(email) FROM users;",
        'SELECT slugfy(name) FROM users;',
        "SELECT * FROM users WHERE id = 'abc' OR active = 'maybe' OR feeling = 'angry';",
        "SELECT * FROM users WHERE id = '7' AND active = 'yes' AND feeling = 'happy' AND name = 'abc';",
        'CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$;',
        'SELECT shout(name) FROM users;',
        // A domain or range type the script creates is a cast; a range brings its multirange.
        'CREATE DOMAIN handle AS text;',
        "SELECT handle('x');",
        'CREATE TYPE floatrange AS RANGE (subtype = float8);',
        'SELECT floatrange(1, 2), floatmultirange(floatrange(1, 2));',
        // Functional notation: `name(u)` is the column `u.name`.
        'SELECT name(u), active(u.*) FROM users u;',
      ].join('\n'),
    );
  });
  after(() => rm(project, { recursive: true, force: true }));

  test('calls the schema, its extensions or the script define, and column reads in functional notation, are accepted; a misspelt one is an error', async () => {
    const findings = (await check(project)).filter((f) => f.severity === 'error');
    assert.deepEqual(
      findings.map((f) => [f.line, f.code]),
      [
        [2, 'unknown-function'],
        [3, 'type-mismatch'],
        [3, 'type-mismatch'],
        [3, 'type-mismatch'],
      ],
      JSON.stringify(findings),
    );
    assert.match(findings[0].message, /Function "slugfy" does not exist.*Did you mean "slugify"/);
    assert.match(findings[3].message, /'angry' as mood \(one of happy, sad\)/);
  });
});

describe('an embedded schema whose DDL did not all apply', () => {
  let project: string;
  before(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'ls-functions-failed-'));
    await mkdir(path.join(project, 'db'));
    await writeFile(path.join(project, 'db/1_tables.sql'), 'CREATE TABLE places (id int PRIMARY KEY, name text);');
    // PostGIS is not one of PGlite's extensions: its functions are unknown, not absent.
    await writeFile(path.join(project, 'db/2_gis.sql'), 'CREATE EXTENSION postgis;');
    await writeFile(path.join(project, 'q.sql'), "SELECT st_distance(name, 'x'), nonesuch(id) FROM places;\n");
  });
  after(() => rm(project, { recursive: true, force: true }));

  test('no call is judged', async () => {
    const findings = await check(project);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error'),
      [],
    );
  });
});

describe('a live database with extensions in pg_catalog', () => {
  let db: TestDatabase;
  let project: string;
  before(async () => {
    // pg_catalog is on every search path: what an extension puts there is callable everywhere.
    db = await createPostgresDatabase(
      'CREATE EXTENSION unaccent SCHEMA pg_catalog; CREATE EXTENSION citext SCHEMA pg_catalog; CREATE TABLE people (id int, name text, nick citext);',
    );
    project = await mkdtemp(path.join(tmpdir(), 'ls-functions-catalog-'));
    await writeFile(
      path.join(project, 'q.sql'),
      [
        "SELECT unaccent(name), pg_catalog.unaccent(name), citext_larger(nick, 'x'), citext(name) FROM people;",
        'SELECT unacent(name) FROM people;',
        'SET search_path TO information_schema, public;',
        'SELECT _pg_char_max_length(25, 10);',
      ].join('\n'),
    );
  });
  after(async () => {
    await rm(project, { recursive: true, force: true });
    await db?.drop();
  });

  test('their functions, and those of information_schema on the search path, are known; a misspelt one is not', async () => {
    const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
    const findings = (await check(project, ['--url', url])).filter((f) => f.severity === 'error');
    assert.deepEqual(
      findings.map((f) => [f.line, f.code]),
      [[2, 'unknown-function']],
      JSON.stringify(findings),
    );
    assert.match(findings[0].message, /Did you mean "unaccent"/);
  });
});
