import { Pool } from 'pg';

const pool = new Pool();

/** Orders of one customer: the SQL string is checked against the schema. */
export async function ordersOf(customerId: number) {
  const { rows } = await pool.query(
    'SELECT o.id, o.totl_cents FROM shop.orders o WHERE o.customer_id = $1',
    [customerId],
  );
  return rows;
}

/** Hard-coded table names: static dependencies a schema change would break. */
export const TABLES = { customers: 'shop.customers', orders: 'shop.orders' };

/** A template built by concatenation: flagged as an injection risk, never checked as SQL. */
export function search(column: string, term: string) {
  return pool.query('SELECT * FROM shop.products WHERE ' + column + " = '" + term + "'");
}
