-- The shop's catalogue and customers.
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'What we sell and who buys it';

CREATE DOMAIN shop.email AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');
CREATE TYPE shop.order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE shop.customers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email       shop.email NOT NULL UNIQUE,
  full_name   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE shop.customers IS 'People who can place orders';
COMMENT ON COLUMN shop.customers.full_name IS 'Name as printed on invoices';

CREATE TABLE shop.products (
  sku          text PRIMARY KEY,
  title        text NOT NULL,
  price_cents  integer NOT NULL CHECK (price_cents >= 0),
  tags         text[] NOT NULL DEFAULT '{}'
);
