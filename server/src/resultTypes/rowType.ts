import type { StatementDescription } from '../db/driver';
import type { Dialect } from '../schema/snapshot';
import { driverTypeFor } from './driverTypes';

/** One result column as the driver hands it to the program. */
export interface RowField {
  name: string;
  databaseType: string;
  /** The TypeScript type, `| null` included when the column can be NULL. */
  tsType: string;
}

export function rowFields(description: StatementDescription, dialect: Dialect): RowField[] {
  return description.columns.map((c) => {
    const base = driverTypeFor(dialect, c.type);
    const nullable = c.nullable && base !== 'unknown' && base !== 'null';
    return { name: c.name, databaseType: c.type, tsType: nullable ? `${base} | null` : base };
  });
}

/**
 * The row as a TypeScript object type: `{ id: number; email: string | null }`. Undefined when two
 * columns share a name, because the driver keeps only the last one and the type would lie.
 */
export function typescriptRowType(fields: readonly RowField[]): string | undefined {
  if (new Set(fields.map((f) => f.name)).size !== fields.length) return undefined;
  if (fields.length === 0) return '{}';
  return `{ ${fields.map((f) => `${propertyName(f.name)}: ${f.tsType}`).join('; ')} }`;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
