-- +goose Up
-- A sent mail that came back: a delivery-status notification naming its
-- Message-ID marks it bounced (the request page shows each mail's fate).
ALTER TABLE mail_outbound ADD COLUMN bounced_at TIMESTAMPTZ;
ALTER TABLE mail_outbound ADD COLUMN bounce_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE mail_outbound DROP COLUMN bounce_reason;
ALTER TABLE mail_outbound DROP COLUMN bounced_at;
