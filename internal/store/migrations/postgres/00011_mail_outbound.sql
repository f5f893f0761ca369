-- +goose Up
-- Every e-mail Aftercare queued for sending through --smtp-relay, with
-- what became of it. The subject and body are rendered when the mail is
-- queued (so the log shows what was sent and a resend sends the same);
-- the threading headers are filled when it is sent. status: queued
-- (waiting for the send job, retried with backoff), sent, failed (gave
-- up; last_error says why), suppressed (not sent: the address bounces).
-- sensitive mail (password-reset links) has its body hidden from the log
-- and cleared once sent, and cannot be resent.
CREATE TABLE mail_outbound (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    auto BOOLEAN NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    request_id BIGINT REFERENCES requests (id),
    customer_id BIGINT REFERENCES customers (id),
    user_id BIGINT REFERENCES users (id),
    to_addr TEXT NOT NULL,
    to_name TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    in_reply_to TEXT NOT NULL DEFAULT '',
    references_hdr TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMPTZ,
    resend_of BIGINT REFERENCES mail_outbound (id)
);
-- The log, newest first, all or by status; a request's mail.
CREATE INDEX mail_outbound_status ON mail_outbound (status, id);
CREATE INDEX mail_outbound_request ON mail_outbound (request_id, id);

-- Templates edited by admins; a kind and locale without a row uses the
-- built-in text.
CREATE TABLE mail_templates (
    kind TEXT NOT NULL,
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    PRIMARY KEY (kind, locale)
);

-- A staff user's choice for one kind of notification; no row means on.
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE mail_templates;
DROP TABLE mail_outbound;
