-- +goose Up
-- Service network, spare parts, appointments and extended warranty
-- (issue 7). Money columns are integer minor units with their currency.

-- Service centres (网点) and the product categories each repairs.
CREATE TABLE service_centres (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION NOT NULL,
    lng DOUBLE PRECISION NOT NULL,
    timezone TEXT NOT NULL,
    opening_hours TEXT NOT NULL DEFAULT '',
    daily_capacity INTEGER NOT NULL CHECK (daily_capacity >= 1),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE centre_categories (
    centre_id BIGINT NOT NULL REFERENCES service_centres (id),
    category TEXT NOT NULL,
    PRIMARY KEY (centre_id, category)
);
CREATE INDEX centre_categories_category ON centre_categories (category, centre_id);

-- Technicians and centre managers work at one centre.
ALTER TABLE users ADD COLUMN centre_id BIGINT REFERENCES service_centres (id);
CREATE INDEX users_centre ON users (centre_id, role);

-- The parts catalogue and the product models (SKUs) each part fits.
CREATE TABLE parts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    part_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    cost BIGINT NOT NULL CHECK (cost >= 0),
    price BIGINT NOT NULL CHECK (price >= 0),
    currency TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE part_skus (
    part_id BIGINT NOT NULL REFERENCES parts (id),
    sku TEXT NOT NULL,
    PRIMARY KEY (part_id, sku)
);
CREATE INDEX part_skus_sku ON part_skus (sku, part_id);

-- Stock per centre and part: the current state, which every ledger row
-- updates in its own transaction. The checks are the last line of
-- defence behind the domain's own: never negative, never more reserved
-- than on hand.
CREATE TABLE stock_levels (
    centre_id BIGINT NOT NULL REFERENCES service_centres (id),
    part_id BIGINT NOT NULL REFERENCES parts (id),
    on_hand BIGINT NOT NULL DEFAULT 0,
    reserved BIGINT NOT NULL DEFAULT 0,
    reorder_point BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (centre_id, part_id),
    CHECK (reserved >= 0 AND reserved <= on_hand AND reorder_point >= 0)
);
CREATE INDEX stock_levels_part ON stock_levels (part_id, centre_id);

-- The append-only stock ledger: SUM(on_hand_delta) is on_hand and
-- SUM(reserved_delta) is reserved for every (centre, part).
CREATE TABLE stock_movements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id BIGINT NOT NULL REFERENCES service_centres (id),
    part_id BIGINT NOT NULL REFERENCES parts (id),
    kind TEXT NOT NULL CHECK (kind IN ('receive', 'reserve', 'release', 'consume', 'transfer', 'adjust')),
    quantity BIGINT NOT NULL,
    on_hand_delta BIGINT NOT NULL,
    reserved_delta BIGINT NOT NULL,
    on_hand_after BIGINT NOT NULL,
    reserved_after BIGINT NOT NULL,
    unit_cost BIGINT NOT NULL DEFAULT 0,
    repair_id BIGINT,
    counterpart_id BIGINT REFERENCES service_centres (id),
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX stock_movements_line ON stock_movements (centre_id, part_id, id);
CREATE INDEX stock_movements_repair ON stock_movements (repair_id, part_id) WHERE repair_id IS NOT NULL;
CREATE INDEX stock_movements_kind ON stock_movements (kind, created_at);

-- Appointments: in-store slots and on-site visit windows. local_day is the
-- day of starts_at in the centre's time zone, which the daily capacity
-- counts.
CREATE TABLE appointments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id BIGINT NOT NULL REFERENCES service_centres (id),
    technician_id BIGINT REFERENCES users (id),
    request_id BIGINT NOT NULL REFERENCES requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('in_store', 'on_site')),
    status TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    local_day DATE NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    booked_by_kind TEXT NOT NULL,
    booked_by_id BIGINT,
    booked_by_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ,
    cancel_reason TEXT NOT NULL DEFAULT '',
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_centre_day ON appointments (centre_id, local_day, status);
CREATE INDEX appointments_technician ON appointments (technician_id, starts_at);
CREATE INDEX appointments_request ON appointments (request_id, starts_at);

-- Extended-warranty plans (延保) and the plans sold on units. A sale keeps
-- its dates, price and coverage as sold, for the entitlement check and the
-- revenue report.
CREATE TABLE warranty_plans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    months INTEGER NOT NULL CHECK (months > 0),
    price BIGINT NOT NULL CHECK (price >= 0),
    currency TEXT NOT NULL,
    covers_parts BOOLEAN NOT NULL,
    covers_labour BOOLEAN NOT NULL,
    covers_shipping BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE unit_plans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    plan_id BIGINT NOT NULL REFERENCES warranty_plans (id),
    sold_at DATE NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    months INTEGER NOT NULL,
    price BIGINT NOT NULL CHECK (price >= 0),
    currency TEXT NOT NULL,
    covers_parts BOOLEAN NOT NULL,
    covers_labour BOOLEAN NOT NULL,
    covers_shipping BOOLEAN NOT NULL,
    centre_id BIGINT REFERENCES service_centres (id),
    sold_by_kind TEXT NOT NULL,
    sold_by_id BIGINT,
    sold_by_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX unit_plans_unit ON unit_plans (unit_id, starts_on);
CREATE INDEX unit_plans_sold ON unit_plans (sold_at, centre_id);

-- The delivery date starts the return window (else the purchase date).
ALTER TABLE units ADD COLUMN delivered_at DATE;

-- The centre-manager role.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'manager', 'agent', 'technician', 'centre_manager'));

-- +goose Down
UPDATE users SET role = 'technician' WHERE role = 'centre_manager';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'manager', 'agent', 'technician'));
ALTER TABLE units DROP COLUMN delivered_at;
DROP TABLE unit_plans;
DROP TABLE warranty_plans;
DROP TABLE appointments;
DROP TABLE stock_movements;
DROP TABLE stock_levels;
DROP TABLE part_skus;
DROP TABLE parts;
ALTER TABLE users DROP COLUMN centre_id;
DROP TABLE centre_categories;
DROP TABLE service_centres;
