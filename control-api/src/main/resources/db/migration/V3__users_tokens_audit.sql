-- Security: the gateway's own users (AUTH_MODE=local), their refresh tokens, the keys every instance
-- signs access tokens and playback URLs with, and the audit trail of sensitive actions.

CREATE TABLE gateway_users (
    id                  UUID PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL,
    password_hash       VARCHAR(100) NOT NULL,
    role                VARCHAR(16)  NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    -- "*", camera sources and camera ids (see CameraScope).
    cameras             TEXT[]       NOT NULL DEFAULT '{}',
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL
);
CREATE UNIQUE INDEX gateway_users_username ON gateway_users (lower(username));

-- Refresh tokens are kept as their SHA-256 only; a refresh replaces its token, a logout revokes it.
CREATE TABLE gateway_refresh_tokens (
    token_hash          BYTEA        PRIMARY KEY,
    user_id             UUID         NOT NULL REFERENCES gateway_users (id) ON DELETE CASCADE,
    issued_at           TIMESTAMPTZ  NOT NULL,
    expires_at          TIMESTAMPTZ  NOT NULL,
    revoked_at          TIMESTAMPTZ
);
CREATE INDEX gateway_refresh_tokens_user ON gateway_refresh_tokens (user_id);

-- HS256 keys for access tokens: one per rotation period, the same on every instance (the period's
-- number is the key id, so instances that rotate at once insert the same row once).
CREATE TABLE gateway_signing_keys (
    kid                 VARCHAR(64)  PRIMARY KEY,
    secret              BYTEA        NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL
);

-- Settings the instances share, made once by the first that needs them (the URL signing secret).
CREATE TABLE gateway_shared_secrets (
    name                VARCHAR(64)  PRIMARY KEY,
    secret              BYTEA        NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL
);

CREATE TABLE gateway_audit_log (
    id                  BIGSERIAL    PRIMARY KEY,
    at                  TIMESTAMPTZ  NOT NULL,
    username            VARCHAR(255),
    role                VARCHAR(16),
    action              VARCHAR(64)  NOT NULL,
    camera_id           UUID,
    outcome             VARCHAR(16)  NOT NULL,
    client_address      VARCHAR(64),
    detail              TEXT,
    instance_id         VARCHAR(255)
);
CREATE INDEX gateway_audit_log_at ON gateway_audit_log (at);
CREATE INDEX gateway_audit_log_user ON gateway_audit_log (lower(username), at);
