-- +goose Up
-- Search at a million requests (issue 14): a search guesses from the
-- planner's statistics how many documents hold a word, to choose between
-- testing the newest documents one by one and the GIN index
-- (store.planSearch). ANALYZE keeps 10,000 of the most common words of
-- tsv instead of 1,000, so that a word in 0.1 % of the documents is
-- among them. The next ANALYZE (autovacuum's, or by hand) applies it.
ALTER TABLE request_search ALTER COLUMN tsv SET STATISTICS 1000;

-- +goose Down
ALTER TABLE request_search ALTER COLUMN tsv SET STATISTICS -1;
