/**
 * The SQL-standard call forms the grammar reads into pg_catalog functions — SUBSTRING(x FROM a FOR
 * b), TRIM([BOTH|LEADING|TRAILING] [c] FROM x), EXTRACT(field FROM x) — as Kysely code that runs
 * the same function on the same database. The result is named as PostgreSQL names the column.
 */
import { list, refuse, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import type { Operand, RenderContext } from './renderContext';
import { asExpression, asReference } from './spelling';
import { quote } from '../javascriptString';

/** TRIM's direction, by the function the grammar reads it into. */
const TRIM_SIDES: Record<string, string> = { btrim: 'both', ltrim: 'leading', rtrim: 'trailing' };
/** MySQL's one-argument functions for TRIM without characters (it has no btrim). */
const MYSQL_TRIMS: Record<string, string> = { btrim: 'trim', ltrim: 'ltrim', rtrim: 'rtrim' };

export function renderSqlSyntax(
  name: string,
  args: unknown[],
  ctx: RenderContext,
  render: (node: unknown) => Operand,
): Operand {
  switch (name) {
    case 'substring':
      // SUBSTRING(x FROM a [FOR b]) is substring(x, a[, b]) in both databases. `FOR b` alone reads
      // as substring(x, 1, b::int4), whose cast is refused with every cast.
      if (args.length < 2 || args.length > 3) refuse(REFUSAL.argumentCount('SUBSTRING', args.length));
      return call(
        'substring',
        args.map((arg) => asReference(render(arg))),
        name,
      );
    case 'btrim':
    case 'ltrim':
    case 'rtrim': {
      const [text, characters] = args.map(render);
      if (characters === undefined) {
        const spelled = ctx.dialect === 'mysql' ? MYSQL_TRIMS[name] : name;
        return call(spelled, [asReference(text)], name);
      }
      if (ctx.dialect === 'postgres') return call(name, [asReference(text), asReference(characters)], name);
      // MySQL's LTRIM/RTRIM take no characters: the TRIM syntax itself, as the original has it.
      ctx.imports.push({ module: 'kysely', name: 'sql' });
      const code = `sql\`trim(${TRIM_SIDES[name]} \${${asExpression(characters)}} from \${${asExpression(text)}})\``;
      return { kind: 'expression', code, defaultName: name };
    }
    case 'extract': {
      const [kind, field] = unwrap(args[0]);
      const text = kind === 'A_Const' ? ((field.sval as Fields | undefined)?.sval as string | undefined) : undefined;
      // The field is written into the SQL text: a plain word only (YEAR, MONTH, EPOCH, …).
      if (text === undefined || !/^[a-z_]+$/i.test(text) || list(args).length !== 2)
        refuse(REFUSAL.extractField(text ?? '…'));
      ctx.imports.push({ module: 'kysely', name: 'sql' });
      const code = `sql\`extract(${text.toLowerCase()} from \${${asExpression(render(args[1]))}})\``;
      return { kind: 'expression', code, defaultName: name };
    }
    default:
      return refuse(REFUSAL.sqlStandardForm(name));
  }
}

function call(name: string, args: string[], defaultName: string): Operand {
  return { kind: 'expression', code: `eb.fn(${quote(name)}, [${args.join(', ')}])`, defaultName };
}
