-- Deleted instances: the company's record that an instance was deleted, by
-- whom and when. The instance's row (with its sealed secrets, certificate
-- key and OAuth tokens), its history events and its embed sessions are
-- deleted with it, so this record keeps what is needed to read it: the
-- instance's id (no foreign key: the row is gone), its name and its
-- connector's name. actor_name is the name shown instead of the user's, as
-- in instance_events. Times are Unix seconds (UTC).

CREATE TABLE instance_deletions (
    id              INTEGER PRIMARY KEY,
    company_id      BIGINT  NOT NULL REFERENCES companies (id),
    instance_id     BIGINT  NOT NULL,
    instance_name   TEXT    NOT NULL,
    connector_name  TEXT    NOT NULL,
    user_id         BIGINT  NOT NULL REFERENCES users (id),
    actor_name      TEXT,
    at              BIGINT  NOT NULL
);
CREATE INDEX instance_deletions_company ON instance_deletions (company_id, at);
