-- +goose Up
-- Macros (canned replies, issue 11): a body per language with
-- placeholders, and optional field changes applied with the reply.
-- Personal (the owner's) or shared with every staff user. add_tags is a
-- comma-separated list of normalised tags (tags hold no commas).
CREATE TABLE macros (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    body_en TEXT NOT NULL DEFAULT '',
    body_zh TEXT NOT NULL DEFAULT '',
    set_status TEXT NOT NULL DEFAULT '',
    set_priority TEXT NOT NULL DEFAULT '',
    add_tags TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX macros_owner ON macros (owner_id);
CREATE INDEX macros_shared ON macros (shared);

-- +goose Down
DROP TABLE macros;
