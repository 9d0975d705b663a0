CREATE TABLE shop.orders (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
  status       shop.order_status NOT NULL DEFAULT 'pending',
  total_cents  integer NOT NULL DEFAULT 0,
  placed_at    timestamptz
);
COMMENT ON COLUMN shop.orders.total_cents IS 'Order total in cents, tax included';

CREATE TABLE shop.order_lines (
  order_id  bigint NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
  line_no   integer NOT NULL,
  sku       text NOT NULL REFERENCES shop.products (sku),
  quantity  integer NOT NULL DEFAULT 1,
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_sku_idx ON shop.order_lines (sku);
CREATE INDEX customers_email_lower_idx ON shop.customers (lower(email));
