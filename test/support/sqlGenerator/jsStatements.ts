/**
 * A seeded generator of random SQL statements over the migration fixture schema
 * (test/fixtures/migrate/*.sql), in the spirit of SQLancer and SQLsmith: typed expressions with
 * nested arithmetic and boolean precedence, NULL, IN/NOT IN lists, LIKE with escapes, CASE,
 * COALESCE, SUBSTRING/TRIM/EXTRACT/REPLACE in their SQL-standard forms, aggregates with GROUP
 * BY/HAVING, joins, subqueries, names with spaces, ORDER BY totally ordered, LIMIT/OFFSET, and
 * INSERT/UPDATE/DELETE (with UPDATE … FROM and DELETE … USING on PostgreSQL). Literals are integers, decimals, strings with quotes and
 * backslashes, booleans and NULL; values arrive as driver placeholders (`$n` / `?`) with host
 * values of the JavaScript types users pass, or as `${expr}` interpolations spliced into the text.
 */
import type { Dialect } from '../../../server/src/schema/snapshot';
import { TABLES, type Column, type SqlType } from './jsTables';
import { Random } from './random';

/** One generated statement as a JavaScript application would run it. */
export interface GeneratedStatement {
  /** The SQL text with placeholders (`$n` or `?`); what the migration converts. */
  sql: string;
  /** The text the host code sends: `sql`, or with interpolated values spliced in. */
  sentText: string;
  /** The values the call passes (none when interpolated). */
  sentValues: unknown[];
  /** Host values for the placeholders of `sql`, in order (MySQL: `?` in order). */
  hostValues: unknown[];
  /** The values were interpolated (`${expr}`): the generator accepts them only where a value stands. */
  interpolated: boolean;
  /** The row order is fixed by ORDER BY over a unique key. */
  ordered: boolean;
  /** Reads the changed table afterwards (writes only). */
  check?: string;
}

const STRINGS = ['paid', 'UK', "O'Brien", 'a\\b', 'Ada Lovelace', '', 'say "hi"', '50%', 'pending'];
const DECIMALS = ['2.5', '41.5', '42.0', '0.10', '19.50', '100.25', '1.005'];

interface Scope {
  /** Qualifier and column, as the statement may reference them. */
  columns: { ref: string; column: Column }[];
}

/** Builds statements for one dialect from one seed. */
export class StatementGenerator {
  private readonly random: Random;
  private values: unknown[] = [];
  private spliced: string[] = [];
  private interpolate = false;

  constructor(
    private readonly dialect: Dialect,
    seed: number,
  ) {
    this.random = new Random(seed);
  }

  private next(): number {
    return this.random.next();
  }

  private chance(p: number): boolean {
    return this.next() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  private int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  /** A new statement; about one in six writes. */
  statement(): GeneratedStatement {
    this.values = [];
    this.spliced = [];
    this.interpolate = this.chance(0.15);
    const kind = this.next();
    let body: { sql: string; ordered: boolean; check?: string };
    if (kind < 0.06) body = this.insert();
    else if (kind < 0.12) body = this.update();
    else if (kind < 0.17) body = this.remove();
    else if (kind < 0.19) body = this.spacedNames();
    else body = this.select();
    // Placeholders were numbered as generated; the text reads them in another order (MySQL's `?` need text order).
    const order: number[] = [];
    const sql = body.sql.replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return this.dialect === 'postgres' ? `$${order.length}` : '?';
    });
    const values = order.map((index) => this.values[index]);
    let next = 0;
    const sentText = this.interpolate ? sql.replace(/\$\d+|\?/g, () => this.spliced[order[next++]]) : sql;
    return {
      sql,
      sentText,
      sentValues: this.interpolate ? [] : values,
      hostValues: values,
      interpolated: this.interpolate,
      ordered: body.ordered,
      ...(body.check ? { check: body.check } : {}),
    };
  }

  /** A placeholder for `value`; interpolated statements splice its SQL text (numbers only reach here). */
  private placeholder(value: unknown, splicedText: string): string {
    this.values.push(value);
    this.spliced.push(splicedText);
    return `$${this.values.length}`;
  }

  private string(): string {
    const text = this.pick(STRINGS);
    if (!this.interpolate && this.chance(0.3)) return this.placeholder(text, '');
    return `'${text.replace(/'/g, "''")}'`;
  }

  private integer(): string {
    const value = this.int(-3, 60);
    if (this.chance(0.3)) {
      // A user passes a number, or a numeric string from a form.
      const host = this.interpolate || this.chance(0.8) ? value : String(value);
      return this.placeholder(host, value < 0 ? `(${value})` : String(value));
    }
    return value < 0 ? `(${value})` : String(value);
  }

  private decimal(): string {
    const text = this.pick(DECIMALS);
    if (!this.interpolate && this.chance(0.25)) return this.placeholder(this.chance(0.5) ? Number(text) : text, text);
    return text;
  }

  private expression(type: SqlType, scope: Scope, depth: number): string {
    const columns = scope.columns.filter((c) => c.column.type === type);
    const leaf = depth <= 0 || this.chance(0.35);
    if (leaf || type === 'date') {
      if (columns.length > 0 && (type === 'date' || this.chance(0.6))) return this.pick(columns).ref;
      return this.literal(type);
    }
    switch (type) {
      case 'int':
        return this.pick([
          () =>
            `${this.expression('int', scope, depth - 1)} ${this.pick(['+', '-', '*'])} ${this.expression('int', scope, depth - 1)}`,
          () =>
            `(${this.expression('int', scope, depth - 1)} ${this.pick(['+', '-'])} ${this.expression('int', scope, depth - 1)}) * ${this.integer()}`,
          () => `${this.expression('int', scope, depth - 1)} / ${this.int(1, 9)}`,
          () => `-(${this.expression('int', scope, depth - 1)})`,
          () => `- ${this.expression('int', scope, 0)}`,
          () => `abs(${this.expression('int', scope, depth - 1)})`,
          () => `coalesce(${this.expression('int', scope, depth - 1)}, ${this.integer()})`,
          () =>
            `case when ${this.condition(scope, depth - 1)} then ${this.expression('int', scope, depth - 1)} else ${this.integer()} end`,
          () => `${this.dialect === 'mysql' ? 'char_length' : 'length'}(${this.expression('text', scope, depth - 1)})`,
          // From a date column: a date literal is of unknown type to PostgreSQL's extract().
          () =>
            scope.columns.some((c) => c.column.type === 'date')
              ? `extract(${this.pick(['year', 'month', 'day'])} from ${this.expression('date', scope, 0)})`
              : `abs(${this.expression('int', scope, depth - 1)})`,
        ])();
      case 'num':
        return this.pick([
          () => `${this.expression('num', scope, depth - 1)} ${this.pick(['+', '-', '*'])} ${this.decimal()}`,
          () => `${this.expression('num', scope, depth - 1)} / (${this.expression('int', scope, 0)} + 100)`,
          () => `${this.expression('int', scope, depth - 1)} * ${this.decimal()}`,
          () => `round(${this.expression('num', scope, depth - 1)})`,
          () => `coalesce(${this.expression('num', scope, depth - 1)}, ${this.decimal()})`,
        ])();
      case 'text':
        return this.pick([
          () => `lower(${this.expression('text', scope, depth - 1)})`,
          () => `upper(${this.expression('text', scope, depth - 1)})`,
          () => `coalesce(${this.expression('text', scope, depth - 1)}, ${this.string()})`,
          () =>
            `case when ${this.condition(scope, depth - 1)} then ${this.expression('text', scope, depth - 1)} else ${this.string()} end`,
          () => `substring(${this.expression('text', scope, depth - 1)} from ${this.int(1, 3)} for ${this.int(0, 4)})`,
          () => `substring(${this.expression('text', scope, depth - 1)}, ${this.integer()}, ${this.int(1, 4)})`,
          () => `trim(${this.expression('text', scope, depth - 1)})`,
          () =>
            `trim(${this.pick(['both', 'leading', 'trailing'])} ${this.pick(["'a'", "' '", "'p'"])} from ${this.expression('text', scope, depth - 1)})`,
          () =>
            `replace(${this.expression('text', scope, depth - 1)}, ${this.pick(["'a'", "'%'", "''''"])}, ${this.string()})`,
        ])();
      case 'bool':
        return this.condition(scope, depth);
    }
  }

  private literal(type: SqlType): string {
    if (type !== 'bool' && this.chance(0.05)) return 'null';
    switch (type) {
      case 'int':
        return this.integer();
      case 'num':
        return this.chance(0.5) ? this.decimal() : this.integer();
      case 'text':
        return this.string();
      case 'bool':
        return this.chance(0.5) ? 'true' : 'false';
      case 'date':
        return this.interpolate || this.chance(0.5)
          ? `'2024-0${this.int(1, 9)}-1${this.int(0, 9)}'`
          : this.placeholder(new Date(Date.UTC(2024, this.int(0, 8), this.int(1, 28))), '');
    }
  }

  /** A boolean condition. */
  condition(scope: Scope, depth: number): string {
    const type = this.pick<SqlType>(['int', 'int', 'num', 'text', 'date']);
    const operand = () => this.expression(type, scope, depth - 1);
    const options: (() => string)[] = [
      () => `${operand()} ${this.pick(['=', '<>', '<', '>', '<=', '>=', '!='])} ${operand()}`,
      () => `${operand()} is ${this.chance(0.5) ? 'not ' : ''}null`,
      // An integer against a decimal constant: the constant keeps its numeric type.
      () => `${this.expression('int', scope, depth - 1)} ${this.pick(['=', '<', '>='])} ${this.decimal()}`,
      () =>
        `${operand()} ${this.chance(0.3) ? 'not ' : ''}in (${[1, 2, 3]
          .slice(0, this.int(1, 3))
          .map(() => this.literal(type))
          .join(', ')})`,
      () => `${operand()} ${this.chance(0.3) ? 'not ' : ''}between ${this.literal(type)} and ${this.literal(type)}`,
    ];
    if (this.dialect === 'mysql') options.push(() => `${operand()} <=> ${this.literal(type)}`);
    const texts = scope.columns.filter((c) => c.column.type === 'text');
    if (texts.length > 0) {
      options.push(() => {
        const pattern = this.pick(['%a%', 'A%', '%!%%', '_a%', "%'%", '%\\_%']);
        const escape = pattern.includes('!') ? " escape '!'" : '';
        return `${this.pick(texts).ref} ${this.chance(0.3) ? 'not ' : ''}like '${pattern.replace(/'/g, "''")}'${escape}`;
      });
    }
    const booleans = scope.columns.filter((c) => c.column.type === 'bool');
    if (booleans.length > 0) options.push(() => this.pick(booleans).ref);
    if (depth > 0) {
      options.push(
        () => `(${this.condition(scope, depth - 1)} ${this.pick(['and', 'or'])} ${this.condition(scope, depth - 1)})`,
        () => `${this.condition(scope, depth - 1)} ${this.pick(['and', 'or'])} ${this.condition(scope, depth - 1)}`,
        () => `not (${this.condition(scope, depth - 1)})`,
        () => {
          const intColumns = scope.columns.filter((c) => c.column.type === 'int');
          const column = intColumns.length > 0 ? this.pick(intColumns).ref : '1';
          return `${column} ${this.chance(0.3) ? 'not ' : ''}in (select oi.product_id from order_items oi where oi.quantity >= ${this.integer()})`;
        },
        () => `exists (select 1 from order_items oi where oi.quantity > ${this.integer()})`,
      );
    }
    return this.pick(options)();
  }

  private scopeOf(table: string, alias?: string): Scope {
    return {
      columns: TABLES[table].columns.map((column) => ({
        ref: alias ? `${alias}.${column.name}` : column.name,
        column,
      })),
    };
  }

  private select(): { sql: string; ordered: boolean } {
    const join = this.chance(0.25);
    const table = join ? 'orders' : this.pick(Object.keys(TABLES));
    const alias = join || this.chance(0.3) ? 'o' : undefined;
    const scope = this.scopeOf(table, alias);
    let from = alias ? `${table} ${alias}` : table;
    const keys = TABLES[table].key.map((key) => (alias ? `${alias}.${key}` : key));
    if (join) {
      const type = this.pick(['join', 'left join', 'inner join']);
      from += ` ${type} customers c on c.id = o.customer_id`;
      scope.columns.push(...this.scopeOf('customers', 'c').columns.filter((c) => c.column.name !== 'id'));
    }
    const where = this.chance(0.75) ? ` where ${this.condition(scope, this.int(0, 3))}` : '';
    if (this.chance(0.2)) return this.aggregate(from, scope, where);
    const items: string[] = [];
    const count = this.int(1, 3);
    for (let i = 0; i < count; i++) {
      if (this.chance(0.4)) items.push(this.pick(scope.columns).ref);
      else {
        const type = this.pick<SqlType>(['int', 'num', 'text', 'bool']);
        const expression = this.expression(type, scope, this.int(1, 3));
        // Some computed columns go unnamed: PostgreSQL names them, MySQL names them after the text.
        items.push(this.chance(0.9) ? `${expression} as v${i}` : expression);
      }
    }
    const distinct = this.chance(0.05) ? 'distinct ' : '';
    if (distinct) return { sql: `select distinct ${items.join(', ')} from ${from}${where}`, ordered: false };
    const ordered = this.chance(0.7);
    let sql = `select ${items.join(', ')} from ${from}${where}`;
    if (ordered) {
      const leading = this.chance(0.5)
        ? `${this.pick(scope.columns).ref} ${this.pick(['asc', 'desc', ''])}, `.replace(' ,', ',')
        : '';
      sql += ` order by ${leading}${keys.join(', ')}`;
      if (this.chance(0.3)) sql += ` limit ${this.int(0, 5)}`;
      if (sql.includes(' limit ') && this.chance(0.5)) sql += ` offset ${this.int(0, 3)}`;
    }
    return { sql, ordered };
  }

  private aggregate(from: string, scope: Scope, where: string): { sql: string; ordered: boolean } {
    const group = this.pick(scope.columns.filter((c) => c.column.type !== 'bool')).ref;
    const numeric = scope.columns.filter((c) => c.column.type === 'int' || c.column.type === 'num');
    const aggregate = `${this.pick(['sum', 'min', 'max', 'avg', 'count'])}(${this.pick(numeric).ref})`;
    const having = this.chance(0.4) ? ` having count(*) > ${this.int(0, 2)}` : '';
    return {
      sql: `select ${group}, count(*) as n, ${aggregate} as a from ${from}${where} group by ${group}${having} order by ${group}`,
      // NULL groups sort differently per dialect only in position, which ORDER BY fixes on both sides.
      ordered: true,
    };
  }

  private insert(): { sql: string; ordered: boolean; check: string } {
    const id = 100 + this.int(0, 50);
    const values = [
      this.chance(0.5) ? String(id) : this.placeholder(id, String(id)),
      this.string(),
      this.chance(0.3) ? 'null' : this.string(),
      this.integer(),
    ];
    const returning = this.dialect === 'postgres' && this.chance(0.3) ? ' returning id, level' : '';
    return {
      sql: `insert into audit_log (id, entity, message, level) values (${values.join(', ')})${returning}`,
      ordered: true,
      check: 'select * from audit_log order by id',
    };
  }

  /** Names with a space and capitals, quoted as each dialect quotes them ("AppUsers"."Display Name"). */
  private spacedNames(): { sql: string; ordered: boolean } {
    const quote = (name: string) => (this.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
    const shown = quote('Display Name');
    const alias = this.chance(0.5) ? ' u' : '';
    const column = (name: string) => (alias ? `u.${name}` : name);
    const where = this.chance(0.6) ? ` where ${column(shown)} ${this.pick(['like', '<>', '>='])} ${this.string()}` : '';
    const renamed = this.chance(0.5) ? ` as ${quote('Shown Name')}` : '';
    return {
      sql: `select ${column(quote('userId'))}, ${column(shown)}${renamed} from ${quote('AppUsers')}${alias}${where} order by ${column(shown)} ${this.pick(['asc', 'desc'])}, ${column(quote('userId'))}`,
      ordered: true,
    };
  }

  private update(): { sql: string; ordered: boolean; check: string } {
    if (this.dialect === 'postgres' && this.chance(0.3)) return this.updateFrom();
    const table = this.pick(['products', 'orders']);
    const scope = this.scopeOf(table);
    const assignments =
      table === 'products'
        ? [`stock = ${this.expression('int', scope, 2)}`, `title = ${this.pick([this.string(), 'upper(title)'])}`]
        : [`total = ${this.expression('num', scope, 2)}`, `note = ${this.chance(0.3) ? 'null' : this.string()}`];
    const set = this.chance(0.5) ? assignments : [this.pick(assignments)];
    const where = this.chance(0.8) ? ` where ${this.condition(scope, 2)}` : '';
    const returning = this.dialect === 'postgres' && this.chance(0.3) ? ' returning id' : '';
    return {
      sql: `update ${table} set ${set.join(', ')}${where}${returning}`,
      ordered: false,
      check: `select * from ${table} order by id`,
    };
  }

  /** PostgreSQL's UPDATE … FROM: orders set from their customer. */
  private updateFrom(): { sql: string; ordered: boolean; check: string } {
    const scope = this.scopeOf('orders', 'orders');
    scope.columns.push(...this.scopeOf('customers', 'c').columns);
    const note = this.pick(['c.name', 'c.country', this.string(), `upper(c.name)`]);
    const where = this.chance(0.7) ? ` and ${this.condition(scope, 1)}` : '';
    return {
      sql: `update orders set note = ${note} from customers c where c.id = orders.customer_id${where}`,
      ordered: false,
      check: 'select * from orders order by id',
    };
  }

  private remove(): { sql: string; ordered: boolean; check: string } {
    if (this.dialect === 'postgres' && this.chance(0.3)) {
      // DELETE … USING: the items of some orders.
      const scope = this.scopeOf('orders', 'o');
      return {
        sql: `delete from order_items using orders o where o.id = order_items.order_id and ${this.condition(scope, 1)}`,
        ordered: false,
        check: 'select * from order_items order by order_id, product_id',
      };
    }
    const scope = this.scopeOf('order_items');
    return {
      sql: `delete from order_items where ${this.condition(scope, 2)}`,
      ordered: false,
      check: 'select * from order_items order by order_id, product_id',
    };
  }
}
