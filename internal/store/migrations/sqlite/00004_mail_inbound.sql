-- +goose Up
-- Every message accepted by the SMTP listener or fetched by IMAP, stored
-- (raw included) before it is acknowledged, with what became of it.
-- outcome: received (stored, not yet processed), created, appended,
-- duplicate, auto_reply, bounce, rejected, failed (retried while attempts
-- remain). source_ref names an IMAP message (server, mailbox, UIDVALIDITY,
-- UID) so that one message is taken once however many nodes fetch it.
CREATE TABLE mail_inbound (
    id INTEGER PRIMARY KEY,
    received_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('smtp', 'imap')),
    source_ref TEXT UNIQUE,
    envelope_from TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    from_addr TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    request_id BIGINT REFERENCES requests (id),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    processed_at TIMESTAMP,
    raw_size BIGINT NOT NULL,
    raw BLOB NOT NULL
);
-- The log, newest first, all or by outcome; the retry sweep.
CREATE INDEX mail_inbound_outcome ON mail_inbound (outcome, id);
CREATE INDEX mail_inbound_due ON mail_inbound (next_attempt_at) WHERE outcome IN ('received', 'failed');

-- Every Message-ID Aftercare received (direction in) or sent (out) for a
-- request: replies are threaded by In-Reply-To/References against it, and
-- a Message-ID seen before is a duplicate.
CREATE TABLE mail_message_ids (
    message_id TEXT PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    inbound_id BIGINT REFERENCES mail_inbound (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_message_ids_request ON mail_message_ids (request_id, created_at);

-- A customer's e-mail address that bounced a mail Aftercare sent.
CREATE TABLE mail_bounces (
    customer_id BIGINT PRIMARY KEY REFERENCES customers (id),
    email TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    bounced_at TIMESTAMP NOT NULL,
    inbound_id BIGINT REFERENCES mail_inbound (id)
);

-- +goose Down
DROP TABLE mail_bounces;
DROP TABLE mail_message_ids;
DROP TABLE mail_inbound;
