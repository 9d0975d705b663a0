-- Reports the shop runs every morning.

-- Revenue per customer (valid).
SELECT c.full_name, sum(o.total_cents) AS revenue_cents
FROM shop.customers c
JOIN shop.orders o ON o.customer_id = c.id
WHERE o.status IN ('paid', 'shipped')
GROUP BY c.full_name
ORDER BY revenue_cents DESC;

-- Lines of one order (a typo'd table).
SELECT l.sku, l.quantity
FROM shop.order_line l
WHERE l.order_id = $1;

-- Unpaid invoices (a column from the wrong table: invoices have no total_cents).
SELECT i.invoice_no, i.total_cents
FROM billing."Invoices" i
JOIN shop.orders o ON o.id = i.order_id
WHERE o.status = 'pending';

-- Top products (a syntax error: a missing comma).
SELECT p.sku p.title
FROM shop.products p;

-- Recursive and windowed queries are understood (valid).
WITH RECURSIVE days(d) AS (
  SELECT date '2026-01-01'
  UNION ALL
  SELECT d + 1 FROM days WHERE d < date '2026-01-31'
)
SELECT d, count(o.id) OVER (ORDER BY d) AS running
FROM days LEFT JOIN shop.orders o ON o.placed_at::date = d;
