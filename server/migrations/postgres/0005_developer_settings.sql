-- Developer settings: the company's API keys, which a host portal's backend
-- uses to start embed sessions, and the origins allowed to embed.
-- A key's secret is never stored: only its SHA-256 (secret_hash) and its
-- first characters (prefix), which tell keys apart. A revoked key keeps its
-- row (revoked_at) but is never listed or found again.
-- Times are Unix seconds (UTC).

CREATE TABLE api_keys (
    id            BIGSERIAL PRIMARY KEY,
    company_id    BIGINT  NOT NULL REFERENCES companies (id),
    name          TEXT    NOT NULL,
    prefix        TEXT    NOT NULL,
    secret_hash   TEXT    NOT NULL UNIQUE,
    created_by    BIGINT  NOT NULL REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_keys_company ON api_keys (company_id, id);

-- The origins (scheme://host[:port], normalised) allowed to embed, in the
-- order the company gave them (position from 0).
CREATE TABLE embed_origins (
    company_id  BIGINT  NOT NULL REFERENCES companies (id),
    origin      TEXT    NOT NULL,
    position    BIGINT  NOT NULL,
    PRIMARY KEY (company_id, origin)
);
