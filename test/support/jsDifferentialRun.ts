/**
 * One differential run over a dialect: `count` seeded statements, each checked for Kysely and Knex,
 * with the driver method, the host language and the call shape picked per statement, counted per
 * target. A quarter pass the SQL as the call's argument; the rest go through a host file in one
 * of the shapes of jsDifferentialShapes.ts (a `const` read once, a driver config object).
 */
import type { Dialect } from '../../server/src/schema/snapshot';
import {
  checkStatement,
  compilers,
  type DriverMethod,
  type HostLanguage,
  type JsTarget,
  type Runner,
} from './jsDifferential';
import { CALL_SHAPES, checkHostedStatement, hostFile, runHostFile, type CallShape } from './jsDifferentialShapes';
import { StatementGenerator } from './sqlGenerator/jsStatements';

export interface TargetCounts {
  generated: number;
  migrated: number;
  refused: number;
  originalFails: number;
  refusedBy: Record<string, number>;
  /** Migrated statements per call shape (`argument`: the SQL in the call itself). */
  migratedByShape: Record<string, number>;
  wrong: string[];
}

export type DifferentialCounts = Record<string, TargetCounts>;

/** A refusal reason without the statement's own names and values, so that reasons group. */
function reasonKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/params\[\d+\]/g, 'params[…]')
    .replace(/: .*$/, '');
}

export async function runDifferential(
  dialect: Dialect,
  runner: Runner,
  count: number,
  seed: number,
): Promise<DifferentialCounts> {
  const generator = new StatementGenerator(dialect, seed);
  const instances = compilers(dialect);
  const counts: DifferentialCounts = {};
  const methods: DriverMethod[] =
    dialect === 'postgres' ? ['client.query'] : ['connection.query', 'connection.execute'];
  try {
    for (let i = 0; i < count; i++) {
      const statement = generator.statement();
      // An interpolation into mysql2's execute is refused before any generator sees it (regionStatement).
      const method = statement.interpolated ? methods[0] : methods[i % methods.length];
      const language: HostLanguage = i % 3 === 0 ? 'javascript' : 'typescript';
      // Interpolated SQL held in a variable is evaluated where it is declared: refused, so kept in the call.
      const shape: CallShape | 'argument' =
        statement.interpolated || i % 4 === 0 ? 'argument' : CALL_SHAPES[(i % 4) - 1];
      const host = shape === 'argument' ? undefined : hostFile(statement, shape, method, language, dialect);
      const original = host
        ? await runHostFile(host, language, statement, runner, instances)
        : await runner.run(method, statement.sentText, statement.sentValues, statement.check, statement.ordered);
      for (const target of ['kysely', 'knex'] as JsTarget[]) {
        const key = `${target} on ${dialect}`;
        const tally = (counts[key] ??= {
          generated: 0,
          migrated: 0,
          refused: 0,
          originalFails: 0,
          refusedBy: {},
          migratedByShape: {},
          wrong: [],
        });
        tally.generated++;
        const verdict = host
          ? await checkHostedStatement(statement, host, target, language, runner, instances, original)
          : await checkStatement(statement, target, method, language, runner, instances, original);
        if (verdict.outcome === 'refused') {
          tally.refused++;
          const kind = reasonKind(verdict.reason ?? '');
          tally.refusedBy[kind] = (tally.refusedBy[kind] ?? 0) + 1;
        } else {
          tally.migrated++;
          tally.migratedByShape[shape] = (tally.migratedByShape[shape] ?? 0) + 1;
          if (verdict.outcome === 'original fails') tally.originalFails++;
          if (verdict.outcome === 'wrong')
            tally.wrong.push(
              `${method} ${language} ${shape} ${statement.sql} ${JSON.stringify(statement.hostValues)}\n${verdict.detail}`,
            );
        }
      }
    }
  } finally {
    await instances.kysely.destroy().catch(() => undefined);
    await instances.knex.destroy();
  }
  return counts;
}
