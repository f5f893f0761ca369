-- +goose NO TRANSACTION
-- Without goose's transaction, so that the way down can turn foreign-key
-- checks off while it rebuilds teams (SQLite cannot drop a column that
-- references another table); each direction runs in a transaction of
-- its own.

-- +goose Up
BEGIN IMMEDIATE;
-- Business calendars: weekly working hours (readable JSON,
-- {"mon":[["09:00","12:00"],["13:00","18:00"]],…}), make-up days' own
-- hours (NULL: Monday's) and an IANA time zone. SLA clocks count only
-- their working time.
CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    hours TEXT NOT NULL,
    workday_hours TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
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
COMMIT;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE teams_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO teams_new (id, name, created_at) SELECT id, name, created_at FROM teams;
DROP TABLE teams;
ALTER TABLE teams_new RENAME TO teams;
DROP TABLE calendar_days;
DROP TABLE calendars;
COMMIT;
PRAGMA foreign_keys = ON;
