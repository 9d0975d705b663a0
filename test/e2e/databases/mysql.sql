CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL, amount_cents int NOT NULL);
