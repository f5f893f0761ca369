-- +goose Up
-- Files in the database (issue 14): on PostgreSQL attachments and proofs
-- of purchase live here, so that every node serves every file and pg_dump
-- backs them up. A file is a row of blobs and its content in chunks, so
-- that reading or writing one never holds the whole file in memory. The
-- key is the path column of attachments and unit_proofs.
CREATE TABLE blobs (
    key        TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    chunk_size INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE blob_chunks (
    key  TEXT NOT NULL REFERENCES blobs (key) ON DELETE CASCADE,
    seq  INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (key, seq)
);
-- Photos, videos, PDFs and zips are compressed already: store them out of
-- line without trying again.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- +goose Down
DROP TABLE blob_chunks;
DROP TABLE blobs;
