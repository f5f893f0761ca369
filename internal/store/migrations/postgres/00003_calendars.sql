-- +goose Up
-- Business calendars: weekly working hours (readable JSON,
-- {"mon":[["09:00","12:00"],["13:00","18:00"]],…}), make-up days' own
-- hours (NULL: Monday's) and an IANA time zone. SLA clocks count only
-- their working time.
CREATE TABLE calendars (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    hours TEXT NOT NULL,
    workday_hours TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- Public holidays and make-up working days (调休), local dates
-- 'YYYY-MM-DD'; a date is one or the other.
CREATE TABLE calendar_days (
    calendar_id BIGINT NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    PRIMARY KEY (calendar_id, day)
);
ALTER TABLE teams ADD COLUMN calendar_id BIGINT REFERENCES calendars (id);

-- +goose Down
ALTER TABLE teams DROP COLUMN calendar_id;
DROP TABLE calendar_days;
DROP TABLE calendars;
