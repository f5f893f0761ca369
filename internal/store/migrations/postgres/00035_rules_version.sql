-- +goose Up
-- The automation rules' version as a whole: every rule created, changed
-- or deleted writes a new one (a random number, never the one before), so
-- each node reads the active rules again only when it moved
-- (internal/rules), whichever node made the change.
CREATE TABLE rules_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO rules_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE rules_version;
