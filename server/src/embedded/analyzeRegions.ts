/**
 * Runs the SQL analysis over the regions of one host file and maps every finding back to host
 * offsets. Static and templated statements are checked like `.sql` statements (interpolations are
 * parameters); dynamic ones get at most an Information "not checked"; fragments and suppressed
 * regions get nothing.
 */
import type { SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql, type AnalysisOptions } from '../sql/analyze';
import { finding, type Finding } from '../sql/findings';
import { toHostRange, type SqlRegion } from './region';
import { DEFAULT_EMBEDDED_SETTINGS, type EmbeddedSettings } from './settings';

/** A finding whose `start`/`end` are host-document offsets; `region` indexes the regions given. */
export interface EmbeddedFinding extends Finding {
  region: number;
}

export interface AnalyzeRegionsInput {
  snapshot?: SchemaSnapshot;
  /** Severities and ignored names of the SQL analysis. */
  options?: AnalysisOptions;
  settings?: EmbeddedSettings;
}

/** Analyses each checkable region; findings come back in host offsets, in region order. */
export async function analyzeRegions(
  regions: SqlRegion[],
  input: AnalyzeRegionsInput = {},
): Promise<EmbeddedFinding[]> {
  const settings = input.settings ?? DEFAULT_EMBEDDED_SETTINGS;
  const dynamicSeverity = settings.severities['dynamic-sql'];
  const findings: EmbeddedFinding[] = [];
  for (const [index, region] of regions.entries()) {
    if (region.suppressed || region.kind === 'fragment') continue;
    if (region.certainty === 'dynamic') {
      if (dynamicSeverity === 'off') continue;
      const message = `Not checked: dynamic SQL (${region.dynamicReason ?? 'built at run time'}).`;
      findings.push({
        ...finding('not-checked', region.hostStart, region.hostEnd, message),
        severity: dynamicSeverity,
        region: index,
      });
      continue;
    }
    const result = await analyzeSql(region.text, {
      dialect: region.dialect,
      snapshot: input.snapshot,
      options: input.options,
    });
    for (const found of result.findings) {
      const host = toHostRange(region, found.start, found.end);
      findings.push({ ...found, start: host.start, end: host.end, region: index });
    }
  }
  return findings;
}
