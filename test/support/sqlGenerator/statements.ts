/**
 * Random statements over the fixture schema (test/fixtures/migrate/*.sql), in the spirit of
 * SQLancer / SQLsmith: SELECTs with joins, subqueries, aggregates with GROUP BY/HAVING, DISTINCT,
 * ORDER BY that orders totally (ties resolved by the key), LIMIT/OFFSET; INSERT, UPDATE and DELETE
 * with the query that reads the table state they leave. Seeded: the same seed, the same statements.
 */
import type { Dialect } from '../../../server/src/schema/snapshot';
import { ExpressionGenerator, type Piece } from './expressions';
import { FIXTURE_JOINS, FIXTURE_TABLES, fixtureTable, type FixtureTable } from './fixtureSchema';
import { Random } from './random';

export interface GeneratedStatement {
  pieces: Piece[];
  /** True when ORDER BY fixes the order of every row. */
  ordered: boolean;
  /** Reads the table state a data change leaves (ordered totally). */
  check?: string;
}

function from(table: FixtureTable): string {
  return `${table.name} ${table.alias}`;
}

function keyOrder(table: FixtureTable): string {
  return table.key.map((column) => `${table.alias}.${column}`).join(', ');
}

export class StatementGenerator {
  private readonly random: Random;

  constructor(
    seed: number,
    private readonly dialect: Dialect,
  ) {
    this.random = new Random(seed);
  }

  next(): GeneratedStatement {
    const roll = this.random.next();
    if (roll < 0.4) return this.select();
    if (roll < 0.55) return this.joinSelect();
    if (roll < 0.67) return this.aggregate();
    if (roll < 0.77) return this.insert();
    if (roll < 0.9) return this.update();
    return this.delete();
  }

  private expressions(scope: FixtureTable[]): ExpressionGenerator {
    return new ExpressionGenerator(this.random, this.dialect, scope);
  }

  /** `expr as cN` items, and now and then a plain column. */
  private items(gen: ExpressionGenerator, count: number): Piece[] {
    const pieces: Piece[] = [];
    for (let n = 0; n < count; n++) {
      if (n > 0) pieces.push(', ');
      const roll = this.random.next();
      if (roll < 0.25) {
        const table = this.random.pick(gen.scope);
        pieces.push(`${table.alias}.${this.random.pick(table.columns).name}`);
        continue;
      }
      const expression =
        roll < 0.6
          ? gen.numeric(2)
          : roll < 0.8
            ? gen.text(2)
            : roll < 0.9
              ? gen.condition(1)
              : this.scalarSubquery(gen);
      pieces.push(...expression.pieces, ` as c${n}`);
    }
    return pieces;
  }

  private scalarSubquery(gen: ExpressionGenerator): { pieces: Piece[] } {
    const outer = gen.scope[0];
    const inner = fixtureTable('order_items');
    const alias = 'sub';
    const correlation = outer.name === 'orders' ? ` where ${alias}.order_id = ${outer.alias}.id` : '';
    return {
      pieces: [
        `(select ${this.random.pick(['count(*)', 'max(sub.quantity)', 'sum(sub.unit_price)'])} from ${inner.name} ${alias}${correlation})`,
      ],
    };
  }

  private tail(table: FixtureTable, ordered: boolean, gen: ExpressionGenerator): Piece[] {
    if (!ordered) return [];
    const pieces: Piece[] = [` order by ${keyOrder(table)}`];
    if (this.random.chance(0.3)) {
      pieces.push(
        ' limit ',
        ...(this.random.chance(0.5) ? gen.parameter('int').pieces : [String(this.random.int(0, 5))]),
      );
      if (this.random.chance(0.5)) pieces.push(' offset ', String(this.random.int(0, 3)));
    }
    return pieces;
  }

  private select(): GeneratedStatement {
    const picked = this.random.pick(FIXTURE_TABLES);
    // A capitalised alias (`orders O`, `O.id`): case-sensitive in MySQL, folded alike in PostgreSQL.
    const table = this.random.chance(0.2) ? { ...picked, alias: picked.alias.toUpperCase() } : picked;
    const gen = this.expressions([table]);
    const pieces: Piece[] = ['select ', ...this.items(gen, this.random.int(1, 3)), ` from ${from(table)}`];
    if (this.random.chance(0.85)) pieces.push(' where ', ...gen.condition(3).pieces);
    if (table.name === 'orders' && this.random.chance(0.2)) {
      const exists = this.random.chance(0.5) ? ' and exists' : ' and not exists';
      pieces.push(pieces.includes(' where ') ? exists : exists.replace(' and', ' where'));
      pieces.push(
        ` (select 1 from order_items i where i.order_id = ${table.alias}.id and i.quantity > `,
        String(this.random.int(0, 2)),
        ')',
      );
    }
    const ordered = this.random.chance(0.8);
    pieces.push(...this.tail(table, ordered, gen));
    return { pieces, ordered };
  }

  private joinSelect(): GeneratedStatement {
    const [leftName, rightName, on] = this.random.pick(FIXTURE_JOINS);
    const [left, right] = [fixtureTable(leftName), fixtureTable(rightName)];
    const gen = this.expressions([left, right]);
    const join = this.random.chance(0.6) ? 'join' : 'left join';
    const pieces: Piece[] = ['select ', ...this.items(gen, this.random.int(1, 3))];
    pieces.push(` from ${from(left)} ${join} ${from(right)} on ${on}`);
    if (this.random.chance(0.8)) pieces.push(' where ', ...gen.condition(2).pieces);
    // Each left row meets at most one right row: the left key orders totally.
    pieces.push(...this.tail(left, true, gen));
    return { pieces, ordered: true };
  }

  private aggregate(): GeneratedStatement {
    const table = this.random.pick(FIXTURE_TABLES);
    const gen = this.expressions([table]);
    const group = this.random.pick(table.columns.filter((column) => column.kind !== 'decimal'));
    const groupColumn = `${table.alias}.${group.name}`;
    const numeric = gen.numeric(1).pieces;
    const aggregate = this.random.pick(['sum(', 'min(', 'max(', 'count(']);
    const pieces: Piece[] = [`select ${groupColumn}, count(*) as n, ${aggregate}`, ...numeric, ') as agg'];
    pieces.push(` from ${from(table)}`);
    if (this.random.chance(0.5)) pieces.push(' where ', ...gen.condition(2).pieces);
    pieces.push(` group by ${groupColumn}`);
    if (this.random.chance(0.5))
      pieces.push(` having count(*) ${this.random.pick(['>', '>=', '<'])} `, ...gen.literal('int').pieces);
    pieces.push(` order by ${groupColumn}`);
    return { pieces, ordered: true };
  }

  private insert(): GeneratedStatement {
    const gen = this.expressions([]);
    if (this.random.chance(0.5)) {
      // A generated key (serial / AUTO_INCREMENT): the database fills it in.
      const rows: Piece[][] = [];
      for (let n = this.random.int(1, 2); n > 0; n--) {
        const entity = this.random.chance(0.5) ? gen.literal('text') : gen.parameter('text');
        const message = this.random.chance(0.5) ? gen.literal('text') : gen.parameter('text');
        const level = gen.numeric(1, false);
        rows.push(['(', ...entity.pieces, ', ', ...message.pieces, ', ', ...level.pieces, ')']);
      }
      return {
        pieces: [
          'insert into audit_log (entity, message, level) values ',
          ...rows.flatMap((row, i) => (i === 0 ? row : [', ', ...row])),
        ],
        ordered: false,
        check: 'select entity, message, level from audit_log order by entity, message, level',
      };
    }
    const id = this.random.int(100, 999);
    // country is varchar(2): short values, quotes and backslashes among them.
    const text = this.random.pick(['UK', "'", '\\', '%', 'a_']);
    const country: Piece[] = this.random.chance(0.5)
      ? [gen.stringLiteral(text)]
      : [{ value: { kind: 'string', text } }];
    const vip = this.random.chance(0.5) ? gen.literal('bool').pieces : [{ value: gen.hostValue('bool') }];
    return {
      pieces: [
        `insert into customers (id, name, email, country, vip) values (${id}, `,
        gen.stringLiteral("N'ew"),
        ', NULL, ',
        ...country,
        ', ',
        ...vip,
        ')',
      ],
      ordered: false,
      check: 'select * from customers order by id',
    };
  }

  private update(): GeneratedStatement {
    if (this.random.chance(0.5)) {
      const table = fixtureTable('products');
      const gen = this.expressions([{ ...table, alias: 'products' }]);
      const pieces: Piece[] = ['update products set stock = ', ...gen.numeric(2, false).pieces];
      if (this.random.chance(0.5)) pieces.push(', title = ', ...gen.text(1).pieces);
      pieces.push(' where ', ...gen.condition(2).pieces);
      return { pieces, ordered: false, check: 'select * from products order by id' };
    }
    const table = fixtureTable('orders');
    const gen = this.expressions([{ ...table, alias: 'orders' }]);
    const pieces: Piece[] = ['update orders set note = ', ...gen.text(2).pieces, ' where ', ...gen.condition(2).pieces];
    return { pieces, ordered: false, check: 'select * from orders order by id' };
  }

  private delete(): GeneratedStatement {
    const table = fixtureTable('order_items');
    const gen = this.expressions([{ ...table, alias: 'order_items' }]);
    return {
      pieces: ['delete from order_items where ', ...gen.condition(2).pieces],
      ordered: false,
      check: 'select * from order_items order by order_id, product_id',
    };
  }
}

/** `count` statements from `seed`. */
export function generateStatements(seed: number, dialect: Dialect, count: number): GeneratedStatement[] {
  const generator = new StatementGenerator(seed, dialect);
  return Array.from({ length: count }, () => generator.next());
}
