-- +goose Up
-- In-app notifications for staff (issue 11): "Wang Fang mentioned you on
-- SR-…", written in the transaction of the note that causes it, whether
-- or not outbound mail is configured. read_at is NULL until the person
-- opens it or marks all as read.
CREATE TABLE staff_notices (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    actor_name TEXT NOT NULL DEFAULT '',
    excerpt TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX staff_notices_user ON staff_notices (user_id, id);
CREATE INDEX staff_notices_unread ON staff_notices (user_id) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE staff_notices;
