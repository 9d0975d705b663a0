-- The schema of the "embedded" connection: applied to the PGlite inside the extension.
CREATE TABLE products (id bigint PRIMARY KEY, title text NOT NULL, price_cents integer NOT NULL);
