import { execFile } from 'node:child_process';
import { mysqlServer, pgServer } from '../test/support/databases';

/**
 * The true floor of discovery: minimal queries per object kind, run by the database's own command
 * line client on the same database. Each client times its own queries, so process start-up and
 * connecting are left out; the result rows are fetched in full and written to /dev/null or a pipe.
 */

/** Runs `queries` in one `psql` session with `\timing on` and sums its "Time: x ms" lines. */
export function psqlMs(database: string, queries: readonly string[]): Promise<number> {
  const script = ['\\timing on', '\\o /dev/null', ...queries.map((q) => `${q.trim()};`)].join('\n');
  return runClient(
    'psql',
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      pgServer.host,
      '-p',
      String(pgServer.port),
      '-U',
      pgServer.user,
      '-d',
      database,
      '-f',
      '-',
    ],
    script,
    /^Time: ([\d.]+) ms/gm,
    1,
    queries.length,
  );
}

/**
 * Runs `queries` in one `mariadb` client session in batch mode; `-vvv` makes it print each query's
 * own time, "(x.xxx sec)", which is summed (millisecond resolution).
 */
export function mariadbMs(database: string, queries: readonly string[]): Promise<number> {
  const args = ['-B', '-vvv', '-h', mysqlServer.host, '-P', String(mysqlServer.port), '-u', mysqlServer.user, database];
  return runClient(
    'mariadb',
    args,
    queries.map((q) => `${q.trim()};`).join('\n'),
    /\(([\d.]+) sec\)/g,
    1000,
    queries.length,
    // The password, if any, goes by environment, never on the command line.
    mysqlServer.password ? { MYSQL_PWD: mysqlServer.password } : {},
  );
}

function runClient(
  command: string,
  args: string[],
  stdin: string,
  timing: RegExp,
  toMs: number,
  expected: number,
  env: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 30 }, (error, stdout) => {
      if (error) return reject(new Error(`${command} failed: ${error.message}`));
      const times = [...stdout.matchAll(timing)].map((m) => Number(m[1]) * toMs);
      if (times.length !== expected)
        return reject(new Error(`${command} printed ${times.length} timings for ${expected} queries`));
      resolve(times.reduce((a, b) => a + b, 0));
    });
    child.stdin?.end(stdin);
  });
}
