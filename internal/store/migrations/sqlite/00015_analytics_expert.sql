-- +goose Up
-- Analytics (issue 10): the expert weights of the composite index and the
-- index the fault-code spikes read repair orders by.

-- The AHP pairwise comparison matrix an admin entered for the index's
-- indicators (one row): the index uses its weights by default.
-- indicators lists the indicator keys in the matrix's order (JSON), so a
-- later change of the index's indicators is noticed rather than misread.
CREATE TABLE index_expert_weights (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    matrix TEXT NOT NULL,
    indicators TEXT NOT NULL,
    entered_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    entered_by_name TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);

-- Repair orders by the day they were opened (fault-code rates by period).
CREATE INDEX repairs_created ON repairs (created_at);

-- +goose Down
DROP INDEX repairs_created;
DROP TABLE index_expert_weights;
