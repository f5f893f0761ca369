-- +goose Up
-- The part a repair waits for at its centre: recorded when a reservation
-- finds the centre short, reserved when the repair resumes, and shown
-- among the centre's reorder alerts meanwhile (issue 7).
ALTER TABLE repairs ADD COLUMN waiting_part_id BIGINT REFERENCES parts (id);
ALTER TABLE repairs ADD COLUMN waiting_quantity BIGINT NOT NULL DEFAULT 0;
CREATE INDEX repairs_waiting_part ON repairs (centre_id, waiting_part_id);

-- +goose Down
DROP INDEX repairs_waiting_part;
ALTER TABLE repairs DROP COLUMN waiting_quantity;
-- SQLite cannot drop a column with a foreign key: waiting_part_id stays
-- (NULL everywhere once nothing writes it).
