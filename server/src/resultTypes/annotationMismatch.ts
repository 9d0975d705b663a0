import type { StatementDescription } from '../db/driver';
import { toHostRange, type SqlRegion } from '../embedded/region';
import { finding, type Finding } from '../sql/findings';
import { splitStatements } from '../sql/splitStatements';
import { rowFields, typescriptRowType } from './rowType';
import { rowTypeArgument, sameRowType, typeArgumentSite, writtenRowType } from './typeAnnotation';

const DRIVER = { postgres: 'node-postgres', mysql: 'mysql2' } as const;

/**
 * `result-type-mismatch`: a `pool.query<{ … }>('…')` row type that disagrees with what the
 * database says the statement returns, on the annotation, with the described type as the fix.
 * Only plain strings of one statement with an inline object type (for mysql2 inside
 * `(RowDataPacket & { … })[]`) are judged; a named type, a template or a statement the server
 * would not describe gets no finding.
 */
export async function resultTypeMismatches(
  hostText: string,
  regions: readonly SqlRegion[],
  describe: (sql: string) => Promise<StatementDescription | undefined>,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const region of regions) {
    if (region.kind !== 'statement' || region.certainty !== 'static') continue;
    const { dialect } = region;
    const site = typeArgumentSite(hostText, toHostRange(region, 0, 0).start, dialect);
    const written = site?.existing === undefined ? undefined : writtenRowType(dialect, site.existing);
    if (!site || written === undefined) continue;
    const statements = splitStatements(region.text, dialect);
    if (statements.length !== 1 || statements[0].unterminated) continue;
    const description = await describe(statements[0].text);
    const described = description && typescriptRowType(rowFields(description, dialect));
    if (!described || sameRowType(written, described) !== false) continue;
    const argument = rowTypeArgument(dialect, described);
    findings.push(
      finding(
        'result-type-mismatch',
        site.start,
        site.end,
        `The row type does not match what the database returns for this query: ${DRIVER[dialect]} gives ${described}. Update the annotation, or the query.`,
        [`<${argument}>`],
      ),
    );
  }
  return findings;
}
