-- +goose Up
-- The queue's filtered views (issue 14) as index ranges: a status with a
-- type, a status with a priority, a status sorted by last change. Each
-- reads only the requests it shows (a few ranges and a short sort when
-- several statuses are asked for), however many closed requests lie
-- between them in created_at order: "type=complaint&status=new,open,
-- pending" read the created_at index down through every closed request
-- (133 ms at 762,000 requests).
CREATE INDEX requests_status_type ON requests (status, type, created_at, id);
CREATE INDEX requests_status_priority ON requests (status, priority_rank, created_at, id);
CREATE INDEX requests_status_updated ON requests (status, updated_at, id);

-- +goose Down
DROP INDEX requests_status_updated;
DROP INDEX requests_status_priority;
DROP INDEX requests_status_type;
