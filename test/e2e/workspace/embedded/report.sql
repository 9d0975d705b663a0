-- Checked against the embedded schema built from embedded/schema/.
SELECT id, prise_cents FROM products;
