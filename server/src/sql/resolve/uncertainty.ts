import type { SchemaSnapshot } from '../../schema/snapshot';
import { finding, type Finding } from '../findings';

const UNKNOWN_NAME_CODES = new Set(['unknown-table', 'unknown-column', 'unknown-schema']);

/**
 * An unknown name that schema DDL which did not apply may have created is no error: the finding
 * becomes `not-checked` with the reason (the file, line and PostgreSQL's message). When a failed
 * file could not be read at all, no unknown name is sure.
 */
export function withUncertainty(f: Finding, snapshot: SchemaSnapshot): Finding {
  const uncertain = snapshot.uncertain;
  if (!uncertain || !UNKNOWN_NAME_CODES.has(f.code)) return f;
  const names = Array.isArray(f.data?.names) ? (f.data.names as string[]) : [];
  const reason =
    uncertain.everything ??
    names
      .flatMap((n) => n.split('.'))
      .map((part) => uncertain.names[part.toLowerCase()])
      .find((r) => r !== undefined);
  if (reason === undefined) return f;
  const written = names.at(-1) ?? f.message;
  return finding(
    'not-checked',
    f.start,
    f.end,
    `Not checked: "${written}" may come from schema DDL that did not apply (${reason}).`,
  );
}
