-- +goose Up
-- Rate limits shared by every node (issue 14; the SQLite store is one
-- node and keeps its limits in memory, the table keeps both schemas
-- equal and lets the shared limiter be tested on both).
CREATE TABLE rate_limits (
    key    BLOB PRIMARY KEY,
    tokens REAL NOT NULL,
    last   REAL NOT NULL,
    allowed BOOLEAN NOT NULL
);
CREATE INDEX rate_limits_last ON rate_limits (last);

-- +goose Down
DROP TABLE rate_limits;
