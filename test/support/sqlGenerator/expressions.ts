/**
 * Random SQL expressions over the fixture schema, printed with only the parentheses SQL's
 * precedence needs (and now and then one more), so a migration must keep the grouping itself.
 * Literals of every kind and host parameters stand side by side.
 */
import type { Dialect } from '../../../server/src/schema/snapshot';
import type { FixtureColumn, FixtureTable, ValueKind } from './fixtureSchema';
import type { HostValue } from './hostValues';
import type { Random } from './random';

/** SQL text, or a host parameter the renderer writes as the call's placeholder. */
export type Piece = string | { value: HostValue };

export interface Expression {
  pieces: Piece[];
  /** How tightly the expression binds (higher binds tighter); atoms are 100. */
  precedence: number;
  kind: ValueKind;
}

export const PRECEDENCE = { atom: 100, unary: 90, multiply: 80, add: 70, compare: 50, not: 40, and: 30, or: 20 };

const STRINGS = ["it's", 'back\\slash', 'Ada Lovelace', 'paid', 'UK', '50% off', 'a_b', '', 'O\'Brien "q"'];
const PATTERNS = ['%a%', 'A%', '%e_', '_____', '%\\_%', '%\\%%', 'paid', '%o%n%', "%'%"];

export class ExpressionGenerator {
  constructor(
    readonly random: Random,
    readonly dialect: Dialect,
    /** The tables in scope, by alias. */
    readonly scope: FixtureTable[],
  ) {}

  /** `(pieces)`, when `expression` binds less tightly than `needed` (or by chance). */
  operand(expression: Expression, needed: number, strictly = false): Piece[] {
    const wrap = expression.precedence < needed || (strictly && expression.precedence === needed);
    return wrap || (expression.precedence < PRECEDENCE.atom && this.random.chance(0.1))
      ? ['(', ...expression.pieces, ')']
      : expression.pieces;
  }

  column(kind: ValueKind, nullable = true): Expression | undefined {
    const candidates = this.scope.flatMap((table) =>
      table.columns
        .filter((c: FixtureColumn) => c.kind === kind && (nullable || !c.nullable))
        .map((c) => `${table.alias}.${c.name}`),
    );
    if (candidates.length === 0) return undefined;
    return { pieces: [this.random.pick(candidates)], precedence: PRECEDENCE.atom, kind };
  }

  literal(kind: ValueKind): Expression {
    const r = this.random;
    const text = {
      int: () => String(r.int(0, 120)),
      decimal: () => r.pick(['0.5', '2.50', '19.5', '100.00', '0.01', '1e2', '2.5E-1']),
      text: () => this.stringLiteral(r.pick(STRINGS)),
      bool: () => r.pick(['true', 'false']),
      date: () => `date '${r.pick(['2024-02-01', '2023-12-31', '2024-04-02'])}'`,
    }[kind]();
    return { pieces: [text], precedence: PRECEDENCE.atom, kind };
  }

  stringLiteral(text: string): string {
    const escaped = this.dialect === 'mysql' ? text.replace(/\\/g, '\\\\') : text;
    return `'${escaped.replace(/'/g, "''")}'`;
  }

  hostValue(kind: ValueKind): HostValue {
    const r = this.random;
    switch (kind) {
      case 'int':
        return { kind: 'int', value: r.int(0, 120) };
      case 'decimal':
        return r.chance(0.7)
          ? { kind: 'decimal', text: r.pick(['0.5', '19.50', '100', '49.9']) }
          : { kind: 'float', value: r.pick([0.5, 20, 99.8]) };
      case 'text':
        return { kind: 'string', text: r.pick(STRINGS) };
      case 'bool':
        return { kind: 'bool', value: r.chance(0.5) };
      case 'date':
        return { kind: 'date', text: r.pick(['2024-02-01', '2024-03-15']) };
    }
  }

  parameter(kind: ValueKind): Expression {
    const value: HostValue = this.random.chance(0.08) ? { kind: 'null' } : this.hostValue(kind);
    return { pieces: [{ value }], precedence: PRECEDENCE.atom, kind };
  }

  /** A leaf: a column, a literal or a parameter. */
  leaf(kind: ValueKind, nullable = true): Expression {
    const roll = this.random.next();
    if (roll < 0.5) {
      const column = this.column(kind, nullable);
      if (column) return column;
    }
    if (roll < 0.8 || !nullable) return this.literal(kind);
    return this.parameter(kind);
  }

  numeric(depth: number, nullable = true): Expression {
    const r = this.random;
    const kind: ValueKind = r.chance(0.5) ? 'int' : 'decimal';
    if (depth <= 0) return this.leaf(kind, nullable);
    const roll = r.next();
    if (roll < 0.45) {
      const operator = r.pick(['+', '-', '*', '+', '-']);
      const precedence = operator === '*' ? PRECEDENCE.multiply : PRECEDENCE.add;
      const left = this.numeric(depth - 1, nullable);
      const right = this.numeric(depth - 1, nullable);
      return {
        pieces: [...this.operand(left, precedence), ` ${operator} `, ...this.operand(right, precedence, true)],
        precedence,
        kind: left.kind === 'int' && right.kind === 'int' ? 'int' : 'decimal',
      };
    }
    if (roll < 0.6) {
      // A divisor that is never zero: a non-zero constant, or NULL where it would be zero.
      const left = this.numeric(depth - 1, nullable);
      const divisor = r.chance(0.5)
        ? { pieces: [r.pick(['2', '3', '7', '0.5', '4.0'])], precedence: PRECEDENCE.atom, kind }
        : { pieces: ['nullif(', ...this.numeric(depth - 1, nullable).pieces, ', 0)'], precedence: 100, kind };
      const operator = r.chance(0.8) ? '/' : '%';
      return {
        pieces: [...this.operand(left, PRECEDENCE.multiply), ` ${operator} `, ...this.operand(divisor, 80, true)],
        precedence: PRECEDENCE.multiply,
        kind: 'decimal',
      };
    }
    if (roll < 0.68) {
      const operand = this.numeric(depth - 1, nullable);
      const pieces = this.operand(operand, PRECEDENCE.unary);
      const inner = typeof pieces[0] === 'string' && pieces[0].startsWith('-') ? ['(', ...pieces, ')'] : pieces;
      return { pieces: ['-', ...inner], precedence: PRECEDENCE.unary, kind: operand.kind };
    }
    if (roll < 0.78) {
      const whens = [this.condition(depth - 1), this.numeric(depth - 1, nullable)];
      const otherwise = nullable && r.chance(0.3) ? ['NULL'] : this.numeric(depth - 1, nullable).pieces;
      return {
        pieces: ['case when ', ...whens[0].pieces, ' then ', ...whens[1].pieces, ' else ', ...otherwise, ' end'],
        precedence: PRECEDENCE.atom,
        kind: 'decimal',
      };
    }
    if (roll < 0.88) {
      const first = this.numeric(depth - 1, true);
      const second = this.numeric(depth - 1, false);
      return { pieces: ['coalesce(', ...first.pieces, ', ', ...second.pieces, ')'], precedence: 100, kind };
    }
    return this.leaf(kind, nullable);
  }

  text(depth: number): Expression {
    const r = this.random;
    if (depth <= 0) return this.leaf('text');
    const roll = r.next();
    const inner = this.text(depth - 1);
    if (roll < 0.2)
      return { pieces: [r.pick(['lower(', 'upper(']), ...inner.pieces, ')'], precedence: 100, kind: 'text' };
    if (roll < 0.35)
      return {
        pieces: ['coalesce(', ...inner.pieces, ', ', ...this.literal('text').pieces, ')'],
        precedence: 100,
        kind: 'text',
      };
    if (roll < 0.45) {
      const other = this.text(depth - 1);
      if (this.dialect === 'postgres')
        return {
          pieces: [...this.operand(inner, 65), ' || ', ...this.operand(other, 65, true)],
          precedence: 65,
          kind: 'text',
        };
      return { pieces: ['concat(', ...inner.pieces, ', ', ...other.pieces, ')'], precedence: 100, kind: 'text' };
    }
    if (roll < 0.52)
      return { pieces: ['substring(', ...inner.pieces, ' from 2 for 3)'], precedence: 100, kind: 'text' };
    if (roll < 0.58) return { pieces: ['trim(', ...inner.pieces, ')'], precedence: 100, kind: 'text' };
    if (roll < 0.64) return { pieces: ['replace(', ...inner.pieces, ", 'a', 'o')"], precedence: 100, kind: 'text' };
    return this.leaf('text');
  }

  /** A boolean condition, with AND/OR/NOT printed by their precedence. */
  condition(depth: number): Expression {
    const r = this.random;
    const roll = r.next();
    if (depth > 0 && roll < 0.3) {
      const operator = r.chance(0.5) ? 'and' : 'or';
      const precedence = operator === 'and' ? PRECEDENCE.and : PRECEDENCE.or;
      const left = this.condition(depth - 1);
      const right = this.condition(depth - 1);
      return {
        pieces: [...this.operand(left, precedence), ` ${operator} `, ...this.operand(right, precedence, true)],
        precedence,
        kind: 'bool',
      };
    }
    if (depth > 0 && roll < 0.38) {
      const inner = this.condition(depth - 1);
      return { pieces: ['not ', ...this.operand(inner, PRECEDENCE.compare)], precedence: PRECEDENCE.not, kind: 'bool' };
    }
    return this.predicate(Math.max(depth - 1, 0));
  }

  predicate(depth: number): Expression {
    const r = this.random;
    const compare = (pieces: Piece[]): Expression => ({ pieces, precedence: PRECEDENCE.compare, kind: 'bool' });
    const roll = r.next();
    if (roll < 0.3) {
      const operator = r.pick(['=', '<>', '<', '>', '<=', '>=', '!=']);
      return compare([...this.numeric(depth).pieces, ` ${operator} `, ...this.numeric(depth).pieces]);
    }
    if (roll < 0.4) {
      const operator = r.pick(['=', '<>', '<', '>=']);
      return compare([...this.text(depth).pieces, ` ${operator} `, ...this.text(depth).pieces]);
    }
    if (roll < 0.5) {
      const subject = r.chance(0.5) ? this.numeric(depth) : this.text(depth);
      return compare([...subject.pieces, r.chance(0.5) ? ' is null' : ' is not null']);
    }
    if (roll < 0.62) {
      const kind: ValueKind = r.pick(['int', 'text', 'decimal']);
      const subject = kind === 'text' ? this.text(depth) : this.numeric(0);
      const items: Piece[][] = [];
      for (let n = r.int(1, 4); n > 0; n--) {
        items.push(r.chance(0.1) ? ['NULL'] : r.chance(0.35) ? this.parameter(kind).pieces : this.literal(kind).pieces);
      }
      const list = items.flatMap((item, index) => (index === 0 ? item : [', ', ...item]));
      return compare([...subject.pieces, r.chance(0.6) ? ' in (' : ' not in (', ...list, ')']);
    }
    if (roll < 0.72) {
      const pattern: Piece = r.chance(0.3)
        ? { value: { kind: 'string', text: r.pick(PATTERNS) } }
        : this.stringLiteral(r.pick(PATTERNS));
      const escape = r.chance(0.15) ? [' escape ', this.stringLiteral('!')] : [];
      return compare([...this.text(depth).pieces, r.chance(0.7) ? ' like ' : ' not like ', pattern, ...escape]);
    }
    if (roll < 0.76) {
      const [outer] = this.scope;
      const correlation = outer?.name === 'orders' ? ` and sub_i.order_id = ${outer.alias}.id` : '';
      const negated = r.chance(0.3) ? ' not in ' : ' in ';
      const subquery = `(select sub_i.product_id from order_items sub_i where sub_i.quantity >= ${r.int(1, 2)}${correlation})`;
      return compare([...this.numeric(0).pieces, negated, subquery]);
    }
    if (roll < 0.8) {
      const [low, high] = [this.numeric(0), this.numeric(0)];
      return compare([...this.numeric(depth).pieces, ' between ', ...low.pieces, ' and ', ...high.pieces]);
    }
    if (roll < 0.88) {
      const column = this.column('bool', false) ?? this.literal('bool');
      const form = r.pick(['', ' = true', ' = false', ' is true', ' is not false']);
      return form === '' ? column : compare([...column.pieces, form]);
    }
    if (roll < 0.91) {
      // MySQL's null-safe equality, PostgreSQL's spelling of it.
      const operator = this.dialect === 'mysql' ? ' <=> ' : r.pick([' is not distinct from ', ' is distinct from ']);
      return compare([...this.numeric(0).pieces, operator, ...this.leaf(r.pick(['int', 'decimal'])).pieces]);
    }
    if (roll < 0.94) {
      const column = this.column('date', false);
      if (column) {
        const value = r.chance(0.5) ? this.literal('date') : this.parameter('date');
        return compare([...column.pieces, ` ${r.pick(['<', '>=', '='])} `, ...value.pieces]);
      }
    }
    return compare([...this.numeric(depth).pieces, ' <> ', ...this.numeric(depth).pieces]);
  }
}
