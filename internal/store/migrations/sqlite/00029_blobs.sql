-- +goose Up
-- Files in the database (issue 14). The SQLite store keeps its files in
-- the data directory; these tables exist so that both stores have the
-- same schema and the database blob store is tested on both.
CREATE TABLE blobs (
    key        TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    chunk_size INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE blob_chunks (
    key  TEXT NOT NULL REFERENCES blobs (key) ON DELETE CASCADE,
    seq  INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (key, seq)
);

-- +goose Down
DROP TABLE blob_chunks;
DROP TABLE blobs;
