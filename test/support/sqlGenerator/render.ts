/**
 * A generated statement as a host program writes it, in one driver's parameter style: `$1`
 * (node-postgres), `?` (mysql2), `%s` with a tuple or `%(name)s` with a dict (psycopg2, PyMySQL).
 * In the pyformat styles `%` is doubled when values are passed, since the driver formats the text.
 */
import type { Piece } from './expressions';
import type { HostValue } from './hostValues';

export type ParameterStyle = 'dollar' | 'question' | 'pyformat' | 'pyformat-named';

export interface RenderedStatement {
  sql: string;
  /** Positional values, named values, or none when the statement has no parameter. */
  values?: HostValue[] | Record<string, HostValue>;
}

export function renderStatement(pieces: Piece[], style: ParameterStyle): RenderedStatement {
  const parameters = pieces.filter((piece): piece is { value: HostValue } => typeof piece !== 'string');
  const pyformat = style === 'pyformat' || style === 'pyformat-named';
  const doublePercent = pyformat && parameters.length > 0;
  const named: Record<string, HostValue> = {};
  let index = 0;
  const sql = pieces
    .map((piece) => {
      if (typeof piece === 'string') return doublePercent ? piece.replace(/%/g, '%%') : piece;
      index++;
      if (style === 'dollar') return `$${index}`;
      if (style === 'question') return '?';
      if (style === 'pyformat') return '%s';
      named[`v${index}`] = piece.value;
      return `%(v${index})s`;
    })
    .join('');
  if (parameters.length === 0) return { sql };
  return { sql, values: style === 'pyformat-named' ? named : parameters.map((piece) => piece.value) };
}
