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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    trigger_event TEXT NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    idle_minutes INTEGER,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
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
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (rule_id, request_id, updated_at)
);

-- Follow-up tasks rules create on a request.
CREATE TABLE request_tasks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_at TIMESTAMPTZ,
    done_at TIMESTAMPTZ,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX request_tasks_request ON request_tasks (request_id, id);

-- Device tokens: an API token that names a device may only post events.
ALTER TABLE api_tokens ADD COLUMN device TEXT;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_owner
    CHECK (num_nonnulls(user_id, customer_id, device) = 1);

-- Events reported by devices (物联网); count_24h reads the index.
CREATE TABLE device_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serial TEXT NOT NULL,
    code TEXT NOT NULL,
    value DOUBLE PRECISION,
    at TIMESTAMPTZ NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMPTZ NOT NULL
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
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_owner;
DELETE FROM api_tokens WHERE device IS NOT NULL;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_check CHECK ((user_id IS NULL) <> (customer_id IS NULL));
ALTER TABLE api_tokens DROP COLUMN device;
DROP TABLE request_tasks;
DROP TABLE rule_idle_fires;
DROP TABLE round_robin;
DROP TABLE rules;
DROP TABLE user_skills;
