import type { Pool } from 'pg';

export async function customerById(pool: Pool, id: number) {
  return pool.query('select id, email from customers where id = $1', [id]);
}
