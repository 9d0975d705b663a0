-- Invoices live in their own schema; an invoice covers exactly one order line set.
CREATE SCHEMA billing;

CREATE TABLE billing."Invoices" (
  invoice_no   text NOT NULL,
  fiscal_year  integer NOT NULL,
  order_id     bigint NOT NULL REFERENCES shop.orders (id),
  issued_on    date NOT NULL DEFAULT CURRENT_DATE,
  PRIMARY KEY (invoice_no, fiscal_year)
);

CREATE TABLE billing.payments (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  invoice_no   text NOT NULL,
  fiscal_year  integer NOT NULL,
  amount_cents integer NOT NULL,
  FOREIGN KEY (invoice_no, fiscal_year) REFERENCES billing."Invoices" (invoice_no, fiscal_year)
);

CREATE VIEW shop.order_totals AS
  SELECT o.id AS order_id, c.email, o.total_cents
  FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id;

CREATE MATERIALIZED VIEW billing.revenue_by_year AS
  SELECT fiscal_year, sum(amount_cents) AS revenue_cents FROM billing.payments GROUP BY fiscal_year;
