-- Delivery is its own step of a job (state DELIVERING): the queue retries it with backoff, so a worker never
-- waits on a destination that is down. next_attempt_at is when the next C-STORE attempt is due; a replica claims
-- the attempt with the same lease columns as a RUNNING job.
ALTER TABLE job ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE job ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX job_delivery_idx ON job (state, next_attempt_at);
