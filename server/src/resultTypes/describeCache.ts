import type { StatementDescriber, StatementDescription } from '../db/driver';
import type { SchemaSnapshot } from '../schema/snapshot';

/**
 * Descriptions per describer, schema and statement text: a schema change brings a new snapshot
 * object, so entries for the old schema are never reused and are collected with it. A statement
 * the server rejects (or a server that does not answer) is cached as undefined for that schema.
 */
export class DescribeCache {
  private readonly entries = new WeakMap<
    StatementDescriber,
    WeakMap<SchemaSnapshot, Map<string, Promise<StatementDescription | undefined>>>
  >();

  describe(
    describer: StatementDescriber,
    snapshot: SchemaSnapshot,
    sql: string,
  ): Promise<StatementDescription | undefined> {
    let bySchema = this.entries.get(describer);
    if (!bySchema) this.entries.set(describer, (bySchema = new WeakMap()));
    let byText = bySchema.get(snapshot);
    if (!byText) bySchema.set(snapshot, (byText = new Map<string, Promise<StatementDescription | undefined>>()));
    let found = byText.get(sql);
    if (!found) {
      found = describer.describe(sql).catch(() => {
        // Not kept: the next request asks again (the server may answer by then, or the text changed).
        byText.delete(sql);
        return undefined;
      });
      byText.set(sql, found);
    }
    return found;
  }
}
