-- +goose Up
-- Feedback (issue 10): survey templates and invitations, responses from
-- the web, the API and follow-up calls, follow-up calls (回访), complaints
-- and compensation.

-- One row per template version; body is the JSON of the wording and of
-- which questions are asked (model.SurveyTemplate).
CREATE TABLE survey_templates (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);

-- At most one invitation per request. The link's secret is stored as a
-- SHA-256 hash (token_hash, looked up by the public page); token keeps the
-- secret itself only while the link can be used, for staff to pass on,
-- and is cleared when it is answered or expires.
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    template_version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'sent', 'answered', 'expired', 'suppressed')),
    reason TEXT NOT NULL DEFAULT '',
    token_hash BLOB UNIQUE,
    token TEXT,
    scheduled_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    reminded_at TIMESTAMP,
    expires_at TIMESTAMP,
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
-- The cool-down check (a customer's recent invitations) and response
-- rates per period.
CREATE INDEX survey_invitations_customer ON survey_invitations (customer_id, created_at);
CREATE INDEX survey_invitations_created ON survey_invitations (created_at, status);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    reason TEXT NOT NULL CHECK (reason IN ('sample', 'complaint')),
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    outcome TEXT NOT NULL DEFAULT '',
    due_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    done_at TIMESTAMP,
    done_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
-- The queue: open calls, oldest due first.
CREATE INDEX followups_queue ON followups (status, due_at, id);

CREATE TABLE followup_attempts (
    id INTEGER PRIMARY KEY,
    followup_id BIGINT NOT NULL REFERENCES followups (id),
    called_at TIMESTAMP NOT NULL,
    by_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL DEFAULT '',
    reachability TEXT NOT NULL CHECK (reachability IN ('reached', 'no_answer', 'wrong_number', 'refused')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followup_attempts_followup ON followup_attempts (followup_id, id);

-- Every answered survey, with what it is grouped by as it was when the
-- customer answered.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    invitation_id BIGINT UNIQUE REFERENCES survey_invitations (id),
    followup_id BIGINT UNIQUE REFERENCES followups (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    channel TEXT NOT NULL,
    request_type TEXT NOT NULL,
    team_id BIGINT REFERENCES teams (id),
    agent_id BIGINT REFERENCES users (id),
    product_id BIGINT REFERENCES products (id),
    category_id BIGINT REFERENCES categories (id),
    template_version INTEGER NOT NULL,
    locale TEXT NOT NULL DEFAULT '',
    csat SMALLINT NOT NULL CHECK (csat BETWEEN 1 AND 5),
    nps SMALLINT CHECK (nps BETWEEN 0 AND 10),
    ces SMALLINT CHECK (ces BETWEEN 1 AND 7),
    technical SMALLINT CHECK (technical BETWEEN 1 AND 5),
    efficiency SMALLINT CHECK (efficiency BETWEEN 1 AND 5),
    convenience SMALLINT CHECK (convenience BETWEEN 1 AND 5),
    process SMALLINT CHECK (process BETWEEN 1 AND 5),
    price SMALLINT CHECK (price BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    sentiment_label SMALLINT,
    sentiment_score REAL,
    sentiment_aspects TEXT NOT NULL DEFAULT '[]',
    answered_at TIMESTAMP NOT NULL
);
-- Responses of a period (analytics, exports), newest first by keyset.
CREATE INDEX survey_responses_answered ON survey_responses (answered_at, id);
CREATE INDEX survey_responses_request ON survey_responses (request_id);

-- A complaint request's severity (1 most serious … 3), its deadline and
-- how far it was escalated.
CREATE TABLE complaints (
    request_id BIGINT PRIMARY KEY REFERENCES requests (id),
    severity SMALLINT NOT NULL CHECK (severity BETWEEN 1 AND 3),
    deadline_at TIMESTAMP NOT NULL,
    escalation_level SMALLINT NOT NULL DEFAULT 0,
    escalated_at TIMESTAMP,
    escalated_to TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE compensations (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('refund', 'voucher', 'free_repair', 'gift', 'other')),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by_id BIGINT REFERENCES users (id),
    requested_by TEXT NOT NULL DEFAULT '',
    decided_by_id BIGINT REFERENCES users (id),
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX compensations_request ON compensations (request_id, id);
CREATE INDEX compensations_status ON compensations (status, id);

-- Complaint rates per product: requests of a period by unit.
CREATE INDEX requests_unit ON requests (unit_id, created_at);

-- +goose Down
DROP INDEX requests_unit;
DROP TABLE compensations;
DROP TABLE complaints;
DROP TABLE survey_responses;
DROP TABLE followup_attempts;
DROP TABLE followups;
DROP TABLE survey_invitations;
DROP TABLE survey_templates;
