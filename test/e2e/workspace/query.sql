-- Orders with their customers: checked against the live schema.
SELECT o.id, o.total_cents, c.name
FROM orders o
JOIN customers c ON c.id = o.customer_id;

SELECT id, emial FROM customers;
