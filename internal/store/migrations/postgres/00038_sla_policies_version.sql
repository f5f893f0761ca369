-- +goose Up
-- The SLA policies' version as a whole: every policy created, changed or
-- deleted writes a new one (a random number, never the one before), so
-- each node reads the policies again only when it moved (internal/sla),
-- whichever node made the change.
CREATE TABLE sla_policies_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO sla_policies_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE sla_policies_version;
