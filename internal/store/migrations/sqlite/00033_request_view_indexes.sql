-- +goose Up
-- PostgreSQL's 00033 adds indexes for the queue's filtered views at a
-- million requests (issue 14). The SQLite store is one node for smaller
-- installations and keeps its request indexes as they are, so that each
-- creation (the single writer's hot path) updates no more of them; the
-- version exists to keep both schemas' numbering equal.
SELECT 1;

-- +goose Down
SELECT 1;
