CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total_cents integer NOT NULL DEFAULT 0
);
COMMENT ON COLUMN orders.total_cents IS 'Order total in cents, tax included';
