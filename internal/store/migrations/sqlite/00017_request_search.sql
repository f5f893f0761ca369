-- +goose Up
-- Request search (issue 11): one document per request (its number,
-- subject, description, customer's name, e-mail and phone, serial) with
-- rowid = -request id, and one per message with rowid = message id; the
-- terms come from tokenize.SearchTerms (Chinese as character bigrams).
-- internal marks internal notes, which customers never search.
CREATE VIRTUAL TABLE request_fts USING fts5 (terms, request_id UNINDEXED, internal UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0');
-- Requests and messages up to these ids existed before the index did:
-- store.BackfillSearch indexes them (once, at start-up) and deletes the row.
CREATE TABLE search_backfill (last_request_id BIGINT NOT NULL, last_message_id BIGINT NOT NULL);
INSERT INTO search_backfill (last_request_id, last_message_id)
    SELECT COALESCE((SELECT max(id) FROM requests), 0), COALESCE((SELECT max(id) FROM messages), 0);

-- +goose Down
DROP TABLE search_backfill;
DROP TABLE request_fts;
