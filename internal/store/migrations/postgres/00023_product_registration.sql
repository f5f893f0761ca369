-- +goose Up
-- Product registration in the portal (issue 11). product_serials are the
-- serial numbers the maker has produced and which product each one is; a
-- customer registers one of them (with the purchase date and a proof of
-- purchase), which creates the unit. A serial that is neither here nor a
-- unit is unknown.
CREATE TABLE product_serials (
    serial TEXT PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id),
    created_at TIMESTAMPTZ NOT NULL
);

-- The proof of purchase a customer uploaded when registering a unit; the
-- file is kept like request attachments (path under the attachments
-- directory).
CREATE TABLE unit_proofs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX unit_proofs_unit ON unit_proofs (unit_id);

-- +goose Down
DROP TABLE unit_proofs;
DROP TABLE product_serials;
