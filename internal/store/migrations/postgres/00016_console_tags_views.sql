-- +goose Up
-- The agent console (issue 11): tags on requests and saved queue views.
-- A tag is free text normalised by model.NormalizeTag (lower case, inner
-- spaces as "-"); the (tag, request_id) index serves ?tag= and the
-- suggestions (most used tags by prefix).
CREATE TABLE request_tags (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    tag TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, tag)
);
CREATE INDEX request_tags_tag ON request_tags (tag, request_id);

-- A saved view is a named queue filter (JSON of model.ViewFilters), the
-- owner's own or shared with every staff user.
CREATE TABLE saved_views (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    filters TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX saved_views_owner ON saved_views (owner_id);
CREATE INDEX saved_views_shared ON saved_views (shared);

-- +goose Down
DROP TABLE saved_views;
DROP TABLE request_tags;
