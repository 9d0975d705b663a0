import type { StatementDescription } from '../db/driver';
import { toHostRange, type SqlRegion } from '../embedded/region';
import { finding, type Finding } from '../sql/findings';
import { splitStatements } from '../sql/splitStatements';
import { rowFields, typescriptRowType } from './rowType';
import { sameRowType, typeArgumentSite } from './typeAnnotation';

/**
 * `result-type-mismatch`: a `pool.query<{ … }>('…')` row type that disagrees with what the
 * database says the statement returns, on the annotation, with the described type as the fix.
 * Only plain PostgreSQL strings of one statement with an inline object type are judged; a named
 * type, a template or a statement the server would not describe gets no finding.
 */
export async function resultTypeMismatches(
  hostText: string,
  regions: readonly SqlRegion[],
  describe: (sql: string) => Promise<StatementDescription | undefined>,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const region of regions) {
    if (region.kind !== 'statement' || region.certainty !== 'static' || region.dialect !== 'postgres') continue;
    const site = typeArgumentSite(hostText, toHostRange(region, 0, 0).start);
    if (site?.existing === undefined) continue;
    const statements = splitStatements(region.text, 'postgres');
    if (statements.length !== 1 || statements[0].unterminated) continue;
    const description = await describe(statements[0].text);
    const described = description && typescriptRowType(rowFields(description, 'postgres'));
    if (!described || sameRowType(site.existing, described) !== false) continue;
    findings.push(
      finding(
        'result-type-mismatch',
        site.start,
        site.end,
        `The row type does not match what the database returns for this query: node-postgres gives ${described}. Update the annotation, or the query.`,
        [`<${described}>`],
      ),
    );
  }
  return findings;
}
