-- +goose Up
-- Customer self-registration (issue 11): a verification code e-mailed to
-- the address someone signs up with. Only the code's SHA-256 (salted with
-- the address) is kept; a code lives 15 minutes, allows a few wrong
-- tries, and is used once. Rows also count the codes sent to an address,
-- which limits how often one address can be mailed.
CREATE TABLE customer_signups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT '',
    code_hash BYTEA NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_signups_email ON customer_signups (email, created_at);

-- +goose Down
DROP TABLE customer_signups;
