import type { Pool } from 'pg';

export async function bigOrders(pool: Pool, minimum: number) {
  return pool.query('SELECT id, total_cents FROM orders WHERE total_cents > $1', [minimum]);
}
