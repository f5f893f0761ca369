-- +goose Up
-- Search at a million messages (issue 11): the SQLite store rebuilt its
-- full-text index without document sizes in this version. PostgreSQL's
-- index (request_search, GIN over a tsvector) is unchanged: ts_rank reads
-- each matching row's tsvector, and no index layout avoids that. This
-- migration keeps the version numbers of both stores equal.
SELECT 1;

-- +goose Down
SELECT 1;
