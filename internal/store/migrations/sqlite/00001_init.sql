-- +goose Up
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'agent', 'technician')),
    team_id BIGINT REFERENCES teams (id),
    locale TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    phone TEXT UNIQUE,
    locale TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE customer_invites (
    token_hash BLOB PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    brand TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    warranty_months INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE warranty_policies (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL UNIQUE REFERENCES products (id),
    months INTEGER NOT NULL,
    covers_parts BOOLEAN NOT NULL,
    covers_labour BOOLEAN NOT NULL,
    covers_shipping BOOLEAN NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    purchased_at DATE NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    order_ref TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX units_customer ON units (customer_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES categories (id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE request_counters (
    year INTEGER PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    priority_rank SMALLINT NOT NULL,
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    unit_id BIGINT REFERENCES units (id),
    category_id BIGINT REFERENCES categories (id),
    assignee_id BIGINT REFERENCES users (id),
    team_id BIGINT REFERENCES teams (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP
);
-- Queue views: every filter the queue offers has an index ending in the
-- keyset (created_at, id), so the first page reads a handful of rows.
CREATE INDEX requests_created ON requests (created_at, id);
CREATE INDEX requests_updated ON requests (updated_at, id);
CREATE INDEX requests_priority ON requests (priority_rank, created_at, id);
CREATE INDEX requests_status ON requests (status, created_at, id);
CREATE INDEX requests_type ON requests (type, created_at, id);
CREATE INDEX requests_customer ON requests (customer_id, created_at, id);
CREATE INDEX requests_assignee ON requests (assignee_id, status, created_at, id);
CREATE INDEX requests_team ON requests (team_id, status, created_at, id);
CREATE INDEX requests_resolved ON requests (status, resolved_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    author_kind TEXT NOT NULL,
    author_id BIGINT,
    author_name TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    channel TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_request ON messages (request_id, id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    message_id BIGINT REFERENCES messages (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_request ON attachments (request_id, id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_request ON events (request_id, id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL,
    hash BLOB NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users (id),
    customer_id BIGINT REFERENCES customers (id),
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (customer_id IS NULL))
);

CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE events;
DROP TABLE attachments;
DROP TABLE messages;
DROP TABLE requests;
DROP TABLE request_counters;
DROP TABLE categories;
DROP TABLE units;
DROP TABLE warranty_policies;
DROP TABLE products;
DROP TABLE customer_invites;
DROP TABLE customers;
DROP TABLE users;
DROP TABLE teams;
