-- Embed sessions: started by a host portal's backend with a company API key,
-- for one instance, one host origin and a set of permissions. The session's
-- one-time secret and the bearer token it is exchanged for are never stored:
-- only their SHA-256 (secret_hash, token_hash). The secret is used once
-- (used_at) before it expires (expires_at); the token lives until
-- token_expires_at. permissions is a comma-separated list of snake_case names.
-- Times are Unix seconds (UTC).

CREATE TABLE embed_sessions (
    id                BIGSERIAL PRIMARY KEY,
    company_id        BIGINT  NOT NULL REFERENCES companies (id),
    instance_id       BIGINT  NOT NULL REFERENCES instances (id),
    api_key_id        BIGINT  NOT NULL REFERENCES api_keys (id),
    origin            TEXT    NOT NULL,
    user_name         TEXT    NOT NULL,
    permissions       TEXT    NOT NULL,
    secret_hash       TEXT    NOT NULL UNIQUE,
    created_at        BIGINT  NOT NULL,
    expires_at        BIGINT  NOT NULL,
    used_at           BIGINT,
    token_hash        TEXT    UNIQUE,
    token_expires_at  BIGINT
);

-- Who the history names for an event made through an embed session
-- ("Jane Doe via portal.example"); NULL names the user (user_id), who for
-- an embed session is the API key's creator.
ALTER TABLE instance_events ADD COLUMN actor_name TEXT;
