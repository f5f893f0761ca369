-- +goose Up
-- Merging duplicates (issue 11): a merged request is closed and points at
-- the request it was merged into; that request's timeline shows the
-- merged ones' messages and files (the index finds them).
ALTER TABLE requests ADD COLUMN merged_into_id BIGINT REFERENCES requests (id);
CREATE INDEX requests_merged_into ON requests (merged_into_id);

-- +goose Down
DROP INDEX requests_merged_into;
ALTER TABLE requests DROP COLUMN merged_into_id;
