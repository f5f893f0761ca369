-- +goose Up
-- Request search (issue 11): one document per request (its number,
-- subject, description, customer's name, e-mail and phone, serial) with
-- doc_id = -request id, and one per message with doc_id = message id; the
-- terms come from tokenize.SearchTerms (Chinese as character bigrams),
-- written as a 'simple' tsvector and found through a GIN index.
-- internal marks internal notes, which customers never search.
CREATE TABLE request_search (
    doc_id BIGINT PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    internal BOOLEAN NOT NULL DEFAULT FALSE,
    tsv TSVECTOR NOT NULL
);
CREATE INDEX request_search_tsv ON request_search USING GIN (tsv);
CREATE INDEX request_search_request ON request_search (request_id);
-- Requests and messages up to these ids existed before the index did:
-- store.BackfillSearch indexes them (once, at start-up) and deletes the row.
CREATE TABLE search_backfill (last_request_id BIGINT NOT NULL, last_message_id BIGINT NOT NULL);
INSERT INTO search_backfill (last_request_id, last_message_id)
    SELECT COALESCE((SELECT max(id) FROM requests), 0), COALESCE((SELECT max(id) FROM messages), 0);

-- +goose Down
DROP TABLE search_backfill;
DROP TABLE request_search;
