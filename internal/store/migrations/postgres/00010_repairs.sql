-- +goose Up
-- Repair orders with quotes and approval, returns and exchanges by policy,
-- the labour price list and per-category fault codes (issue 7 part 2).
-- Money columns are integer minor units with their currency.

-- Fault codes a technician picks when diagnosing, per product category.
CREATE TABLE fault_codes (
    category TEXT NOT NULL,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    PRIMARY KEY (category, code)
);

-- The labour price list: what a line of work costs, per category ('' for
-- every category). The code "inspection" is the fee charged when a quote
-- is declined.
CREATE TABLE labour_prices (
    code TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price >= 0),
    currency TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, category)
);

-- One repair order per request.
CREATE TABLE repairs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    unit_id BIGINT REFERENCES units (id),
    centre_id BIGINT NOT NULL REFERENCES service_centres (id),
    mode TEXT NOT NULL CHECK (mode IN ('mail_in', 'in_store', 'on_site')),
    stage TEXT NOT NULL,
    fault_codes TEXT NOT NULL DEFAULT '',
    device_condition TEXT NOT NULL DEFAULT '',
    accessories TEXT NOT NULL DEFAULT '',
    approval TEXT NOT NULL DEFAULT '',
    approval_by_kind TEXT NOT NULL DEFAULT '',
    approval_by_name TEXT NOT NULL DEFAULT '',
    approval_at TIMESTAMPTZ,
    coverage_source TEXT NOT NULL DEFAULT '',
    quote_total BIGINT NOT NULL DEFAULT 0,
    inspection_fee BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL,
    carrier TEXT NOT NULL DEFAULT '',
    tracking_no TEXT NOT NULL DEFAULT '',
    rework BOOLEAN NOT NULL DEFAULT FALSE,
    rework_of BIGINT REFERENCES repairs (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ
);
CREATE INDEX repairs_centre_stage ON repairs (centre_id, stage, updated_at);
CREATE INDEX repairs_unit ON repairs (unit_id, completed_at);
CREATE INDEX repairs_completed ON repairs (completed_at, centre_id);

-- Every stage a repair went through: who, when, why.
CREATE TABLE repair_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repair_id BIGINT NOT NULL REFERENCES repairs (id),
    from_stage TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX repair_history_repair ON repair_history (repair_id, id);

-- The lines of a repair's current quote; a new quote replaces them.
CREATE TABLE repair_quote_lines (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repair_id BIGINT NOT NULL REFERENCES repairs (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('part', 'labour', 'shipping', 'fee')),
    part_id BIGINT REFERENCES parts (id),
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    covered BOOLEAN NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0)
);
CREATE INDEX repair_quote_lines_repair ON repair_quote_lines (repair_id, position);

-- Return and exchange policy per product category; a category without
-- one gets the default (7-day return, 15-day exchange, reject outside).
CREATE TABLE return_policies (
    category TEXT PRIMARY KEY,
    return_days INTEGER NOT NULL CHECK (return_days >= 0),
    exchange_days INTEGER NOT NULL CHECK (exchange_days >= 0),
    outside_window TEXT NOT NULL CHECK (outside_window IN ('reject', 'review')),
    updated_at TIMESTAMPTZ NOT NULL
);

-- One return or exchange per request.
CREATE TABLE returns (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL CHECK (kind IN ('return', 'exchange')),
    reason TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected', 'review')),
    decision_reason TEXT NOT NULL DEFAULT '',
    window_ends_on DATE NOT NULL,
    status TEXT NOT NULL,
    refund_amount BIGINT NOT NULL DEFAULT 0 CHECK (refund_amount >= 0),
    currency TEXT NOT NULL,
    replacement_serial TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ
);
CREATE INDEX returns_status ON returns (status, updated_at);

-- +goose Down
DROP TABLE returns;
DROP TABLE return_policies;
DROP TABLE repair_quote_lines;
DROP TABLE repair_history;
DROP TABLE repairs;
DROP TABLE labour_prices;
DROP TABLE fault_codes;
