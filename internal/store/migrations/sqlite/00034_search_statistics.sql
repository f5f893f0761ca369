-- +goose Up
-- PostgreSQL keeps more statistics of its search documents in this
-- version (issue 14); SQLite's FTS5 index needs none. This migration
-- keeps the version numbers of both stores equal.
SELECT 1;

-- +goose Down
SELECT 1;
