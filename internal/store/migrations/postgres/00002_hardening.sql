-- +goose Up
-- Who uploaded each file: customers may download and link only their own
-- uploads (and files on public messages). Earlier uploads take the actor
-- of their timeline event.
ALTER TABLE attachments ADD COLUMN uploader_kind TEXT NOT NULL DEFAULT 'staff';
ALTER TABLE attachments ADD COLUMN uploader_id BIGINT;
UPDATE attachments SET
    uploader_kind = COALESCE((SELECT e.actor_kind FROM events e WHERE e.request_id = attachments.request_id
        AND e.kind = 'attachment' AND e.old_value = CAST(attachments.id AS TEXT) ORDER BY e.id LIMIT 1), 'staff'),
    uploader_id = (SELECT e.actor_id FROM events e WHERE e.request_id = attachments.request_id
        AND e.kind = 'attachment' AND e.old_value = CAST(attachments.id AS TEXT) ORDER BY e.id LIMIT 1);
-- Quotas (bytes a customer uploaded today) and the clean-up of uploads
-- never linked to a message.
CREATE INDEX attachments_uploader ON attachments (uploader_kind, uploader_id, created_at);
CREATE INDEX attachments_unlinked ON attachments (created_at) WHERE message_id IS NULL;

-- Sessions are looked up by the SHA-256 of their token, so a copy of the
-- database or a backup holds no usable session. Existing sessions end.
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    data BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL,
    principal_kind TEXT NOT NULL DEFAULT '',
    principal_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_principal ON sessions (principal_kind, principal_id);

-- Portal links: invites (first password) and password resets.
ALTER TABLE customer_invites ADD COLUMN purpose TEXT NOT NULL DEFAULT 'invite';
CREATE INDEX customer_invites_customer ON customer_invites (customer_id);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    client_addr TEXT NOT NULL DEFAULT ''
);
-- Newest first by id; by action.
CREATE INDEX audit_log_action ON audit_log (action, id);

-- +goose Down
DROP TABLE audit_log;
DROP INDEX customer_invites_customer;
ALTER TABLE customer_invites DROP COLUMN purpose;
DROP TABLE sessions;
CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    data BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
DROP INDEX attachments_unlinked;
DROP INDEX attachments_uploader;
ALTER TABLE attachments DROP COLUMN uploader_id;
ALTER TABLE attachments DROP COLUMN uploader_kind;
