-- +goose Up
-- Staff skills (任职资格): a skill (a product category, a language, a
-- request type …) with a level 1–5; skill routing picks by them.
CREATE TABLE user_skills (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, skill)
);
CREATE INDEX user_skills_skill ON user_skills (skill, level);

-- Automation rules, run in position order for their trigger. conditions
-- is JSON {all?:[…], any?:[…]}, actions a JSON array (internal/rules).
-- idle_minutes is the business minutes without an update of request.idle.
CREATE TABLE rules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    trigger_event TEXT NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    idle_minutes INTEGER,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX rules_trigger ON rules (trigger_event, position, id);

-- The last agent round-robin assignment gave a request to, per team.
CREATE TABLE round_robin (
    team_id BIGINT PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    last_user_id BIGINT NOT NULL DEFAULT 0
);

-- request.idle fires once per quiet stretch: the request's updated_at
-- when the rule fired.
CREATE TABLE rule_idle_fires (
    rule_id BIGINT NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    request_id BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (rule_id, request_id, updated_at)
);

-- Follow-up tasks rules create on a request.
CREATE TABLE request_tasks (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_at TIMESTAMP,
    done_at TIMESTAMP,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX request_tasks_request ON request_tasks (request_id, id);

-- Device tokens: an API token that names a device may only post events.
CREATE TABLE api_tokens_new (
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
    device TEXT,
    CHECK ((user_id IS NOT NULL) + (customer_id IS NOT NULL) + (device IS NOT NULL) = 1)
);
INSERT INTO api_tokens_new (id, name, prefix, hash, user_id, customer_id, expires_at, last_used_at, revoked_at, created_at)
    SELECT id, name, prefix, hash, user_id, customer_id, expires_at, last_used_at, revoked_at, created_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

-- Events reported by devices (物联网); count_24h reads the index.
CREATE TABLE device_events (
    id INTEGER PRIMARY KEY,
    serial TEXT NOT NULL,
    code TEXT NOT NULL,
    value REAL,
    at TIMESTAMP NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX device_events_serial_code ON device_events (serial, code, at);
CREATE INDEX device_events_at ON device_events (at, id);

-- Requests opened from device events: at most one open per serial and
-- code (checked with the unit's row locked).
CREATE TABLE device_requests (
    request_id BIGINT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    serial TEXT NOT NULL,
    code TEXT NOT NULL
);
CREATE INDEX device_requests_serial_code ON device_requests (serial, code);

-- +goose Down
DROP TABLE device_requests;
DROP TABLE device_events;
CREATE TABLE api_tokens_old (
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
INSERT INTO api_tokens_old SELECT id, name, prefix, hash, user_id, customer_id, expires_at, last_used_at, revoked_at, created_at
    FROM api_tokens WHERE device IS NULL;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_old RENAME TO api_tokens;
DROP TABLE request_tasks;
DROP TABLE rule_idle_fires;
DROP TABLE round_robin;
DROP TABLE rules;
DROP TABLE user_skills;
