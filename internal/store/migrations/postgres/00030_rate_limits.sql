-- +goose Up
-- Rate limits shared by every node (issue 14): one token bucket per
-- limiter and key, the key kept as 16 bytes of a SHA-256 (never the login
-- or address itself). last is the bucket's last use in Unix seconds.
CREATE TABLE rate_limits (
    key    BYTEA PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    last   DOUBLE PRECISION NOT NULL,
    allowed BOOLEAN NOT NULL
);
CREATE INDEX rate_limits_last ON rate_limits (last);

-- +goose Down
DROP TABLE rate_limits;
