-- Editing instances: their secrets (one encrypted JSON map per instance,
-- written by the store only), who saved last, the company's connection pools,
-- and the history of tests and saves.
-- Times are Unix seconds (UTC).

ALTER TABLE instances ADD COLUMN secrets TEXT;
ALTER TABLE instances ADD COLUMN updated_by BIGINT REFERENCES users (id);

CREATE TABLE connection_pools (
    company_id  BIGINT  NOT NULL REFERENCES companies (id),
    name        TEXT    NOT NULL,
    PRIMARY KEY (company_id, name)
);

-- kind: 'saved' (version, changed) or 'tested' (outcome, message).
-- changed is a JSON array of field labels, never values.
CREATE TABLE instance_events (
    id           INTEGER PRIMARY KEY,
    company_id   BIGINT  NOT NULL REFERENCES companies (id),
    instance_id  BIGINT  NOT NULL REFERENCES instances (id),
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    at           BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    version      BIGINT,
    changed      TEXT,
    outcome      TEXT,
    message      TEXT
);
CREATE INDEX instance_events_instance ON instance_events (company_id, instance_id, id);
