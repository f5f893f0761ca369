-- +goose Up
-- Saved views are renamed, re-shared and deleted (issue 11): a version
-- for optimistic locking, as macros have.
ALTER TABLE saved_views ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE saved_views DROP COLUMN version;
