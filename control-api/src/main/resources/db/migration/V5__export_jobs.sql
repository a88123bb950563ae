-- Evidence exports: one row per job, queued until an instance claims it under a lease (as recording
-- sessions and sync jobs are owned), its progress, and once done the file's size and SHA-256 and the
-- signed manifest, kept as the exact text that was signed.
CREATE TABLE export_jobs (
    id                  UUID         PRIMARY KEY,
    -- No foreign key: evidence outlives the camera's removal from CNS (the manifest names it).
    camera_id           UUID         NOT NULL,
    start_time          TIMESTAMPTZ  NOT NULL,
    end_time            TIMESTAMPTZ  NOT NULL,
    format              VARCHAR(16)  NOT NULL,
    burn_timestamp      BOOLEAN      NOT NULL DEFAULT FALSE,
    description         TEXT,
    status              VARCHAR(16)  NOT NULL
        CHECK (status IN ('queued', 'in_progress', 'completed', 'failed', 'cancelled')),
    processed_ms        BIGINT       NOT NULL DEFAULT 0,
    total_ms            BIGINT       NOT NULL DEFAULT 0,
    size_bytes          BIGINT,
    sha256              VARCHAR(64),
    error               TEXT,
    manifest            TEXT,
    created_by          VARCHAR(255),
    created_role        VARCHAR(16),
    created_at          TIMESTAMPTZ  NOT NULL,
    started_at          TIMESTAMPTZ,
    completed_at        TIMESTAMPTZ,
    expires_at          TIMESTAMPTZ,
    attempts            INTEGER      NOT NULL DEFAULT 0,
    owner_instance      VARCHAR(255),
    lease_until         TIMESTAMPTZ
);
CREATE INDEX export_jobs_claimable ON export_jobs (created_at) WHERE status IN ('queued', 'in_progress');
CREATE INDEX export_jobs_camera ON export_jobs (camera_id, created_at);
CREATE INDEX export_jobs_expiry ON export_jobs (expires_at) WHERE expires_at IS NOT NULL;
