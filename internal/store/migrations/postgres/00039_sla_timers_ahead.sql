-- +goose Up
-- Timers for far instants come from the sweeper (internal/sla): a change
-- schedules a River timer only for an instant within the timer horizon,
-- and the sweeper schedules the instants that come within it, reading the
-- open clocks' warning and due instants past the watermark through these
-- partial indexes.
CREATE INDEX sla_clocks_open_warn ON sla_clocks (warn_at) WHERE met_at IS NULL AND stopped_at IS NULL;
CREATE TABLE sla_timer_watermark (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    until TIMESTAMP
);
INSERT INTO sla_timer_watermark (id, until) VALUES (1, NULL);

-- +goose Down
DROP TABLE sla_timer_watermark;
DROP INDEX sla_clocks_open_warn;
