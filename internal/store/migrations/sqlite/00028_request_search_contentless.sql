-- +goose Up
-- Search at a million messages (issue 11): ranking a query's matches with
-- bm25 looked up every matching document's size in request_fts_docsize,
-- one B-tree search each, which was most of a search's time. The index is
-- now contentless and keeps no sizes (columnsize=0): bm25 then weighs
-- term frequency and rarity without length normalisation, from the index
-- alone. A contentless table cannot find a document's terms to delete
-- them, so request_search_docs keeps each document's terms (and its
-- request and whether it is an internal note, which the index no longer
-- holds); store.putSearchDoc writes both in one transaction.
CREATE TABLE request_search_docs (
    doc_id INTEGER PRIMARY KEY, -- -request id for a request, the message id for a message
    request_id BIGINT NOT NULL,
    internal BOOLEAN NOT NULL DEFAULT 0,
    terms TEXT NOT NULL
);
INSERT INTO request_search_docs (doc_id, request_id, internal, terms)
    SELECT rowid, request_id, internal, terms FROM request_fts;
DROP TABLE request_fts;
CREATE VIRTUAL TABLE request_fts USING fts5 (terms, content = '', columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO request_fts (rowid, terms) SELECT doc_id, terms FROM request_search_docs;

-- +goose Down
DROP TABLE request_fts;
CREATE VIRTUAL TABLE request_fts USING fts5 (terms, request_id UNINDEXED, internal UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO request_fts (rowid, terms, request_id, internal)
    SELECT doc_id, terms, request_id, internal FROM request_search_docs;
DROP TABLE request_search_docs;
