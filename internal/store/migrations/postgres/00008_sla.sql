-- +goose Up
-- SLA policies, customer tiers and live SLA clocks (issue 8 part 2).

-- Customer tiers (admin-defined): the key SLA policies match, and the
-- commitments the portal publishes.
CREATE TABLE customer_tiers (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    response_minutes INTEGER,
    resolution_minutes INTEGER,
    compensation TEXT NOT NULL DEFAULT '',
    compensation_zh TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE customers ADD COLUMN tier TEXT;
CREATE INDEX customers_tier ON customers (tier);

-- SLA policies, matched in position order by their conditions (JSON
-- {type?, priority?, channel?, tier?, category_id?, team_id?}); targets in
-- business minutes of the calendar; pause_statuses is a JSON array.
CREATE TABLE sla_policies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    conditions TEXT NOT NULL,
    calendar_id BIGINT NOT NULL REFERENCES calendars (id),
    first_response_minutes INTEGER NOT NULL,
    next_response_minutes INTEGER,
    resolution_minutes INTEGER NOT NULL,
    pause_statuses TEXT NOT NULL,
    warn_before_minutes INTEGER,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sla_policies_position ON sla_policies (position, id);

-- One row per request created through the application: the policy it
-- got (a copy of its targets, so a later edit of the policy does not
-- rewrite history), the calendar its times are counted in, and the
-- stored metrics of evaluation.md section 4 (seconds).
CREATE TABLE request_sla (
    request_id BIGINT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    policy_id BIGINT REFERENCES sla_policies (id) ON DELETE SET NULL,
    policy_name TEXT NOT NULL DEFAULT '',
    tier TEXT NOT NULL DEFAULT '',
    calendar_id BIGINT REFERENCES calendars (id),
    pause_statuses TEXT NOT NULL DEFAULT '[]',
    warn_before_minutes INTEGER,
    next_response_minutes INTEGER,
    paused_since TIMESTAMPTZ,
    first_response_at TIMESTAMPTZ,
    first_response_business_s DOUBLE PRECISION,
    first_response_calendar_s DOUBLE PRECISION,
    first_resolved_at TIMESTAMPTZ,
    first_resolution_business_s DOUBLE PRECISION,
    first_resolution_calendar_s DOUBLE PRECISION,
    last_resolved_at TIMESTAMPTZ,
    full_resolution_business_s DOUBLE PRECISION,
    full_resolution_calendar_s DOUBLE PRECISION,
    paused_business_s DOUBLE PRECISION NOT NULL DEFAULT 0,
    paused_calendar_s DOUBLE PRECISION NOT NULL DEFAULT 0
);

-- Stretches in which a request's clocks stood still (a pause status);
-- ended_at is NULL while the pause lasts.
CREATE TABLE sla_pauses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    started_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ
);
CREATE INDEX sla_pauses_request ON sla_pauses (request_id, id);

-- The clocks: first_response, next_response (cycle counts its rounds)
-- and resolution. due_at is NULL while the request is paused.
CREATE TABLE sla_clocks (
    request_id BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('first_response', 'next_response', 'resolution')),
    cycle INTEGER NOT NULL DEFAULT 1,
    started_at TIMESTAMPTZ NOT NULL,
    target_minutes INTEGER NOT NULL,
    due_at TIMESTAMPTZ,
    warn_at TIMESTAMPTZ,
    met_at TIMESTAMPTZ,
    stopped_at TIMESTAMPTZ,
    PRIMARY KEY (request_id, kind)
);
CREATE INDEX sla_clocks_open_due ON sla_clocks (due_at) WHERE met_at IS NULL AND stopped_at IS NULL;

-- A warning or breach, recorded once per clock round whoever sees it
-- first (a timer job on any node, or the sweeper).
CREATE TABLE sla_alerts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    cycle INTEGER NOT NULL,
    alert TEXT NOT NULL CHECK (alert IN ('warning', 'breach')),
    due_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (request_id, kind, cycle, alert)
);

-- The nearest open due time, for the queue's sort and filters.
ALTER TABLE requests ADD COLUMN sla_due_at TIMESTAMPTZ;
CREATE INDEX requests_sla_due ON requests (sla_due_at, id);

-- +goose Down
DROP INDEX requests_sla_due;
ALTER TABLE requests DROP COLUMN sla_due_at;
DROP TABLE sla_alerts;
DROP TABLE sla_clocks;
DROP TABLE sla_pauses;
DROP TABLE request_sla;
DROP TABLE sla_policies;
DROP INDEX customers_tier;
ALTER TABLE customers DROP COLUMN tier;
DROP TABLE customer_tiers;
