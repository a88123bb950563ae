-- A sync job belongs to the instance running it, which renews a lease while it runs: another
-- instance fails the job only once the lease ran out (its owner died), never while it runs, however
-- long. Rows from before have no lease and keep the old rule (in progress for ten minutes).
ALTER TABLE milestone_sync_history ADD COLUMN owner_instance VARCHAR(255);
ALTER TABLE milestone_sync_history ADD COLUMN lease_until TIMESTAMPTZ;
CREATE INDEX idx_sync_history_in_progress ON milestone_sync_history (lease_until) WHERE status = 'in_progress';
