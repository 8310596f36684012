-- Companies, their users and sign-in sessions; the connector catalogue and
-- what each company installed; instances and the process flows that use them.
-- Times are Unix seconds (UTC). Flags are 0/1 integers so both databases agree.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    company_id     BIGINT  NOT NULL REFERENCES companies (id),
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

CREATE TABLE connectors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    definition  TEXT    NOT NULL
);

CREATE TABLE installed_connectors (
    company_id    BIGINT  NOT NULL REFERENCES companies (id),
    connector_id  BIGINT  NOT NULL REFERENCES connectors (id),
    installed_at  BIGINT  NOT NULL,
    PRIMARY KEY (company_id, connector_id)
);

CREATE TABLE instances (
    id                 INTEGER PRIMARY KEY,
    company_id         BIGINT  NOT NULL,
    connector_id       BIGINT  NOT NULL,
    name               TEXT    NOT NULL,
    time_zone          TEXT    NOT NULL,
    date_format        TEXT    NOT NULL,
    rate_limit_amount  BIGINT,
    rate_limit_unit    TEXT,
    connection_pool    TEXT,
    variables          TEXT    NOT NULL,
    auth_method        TEXT    NOT NULL,
    auth_fields        TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    last_tested_at     BIGINT,
    version            BIGINT  NOT NULL,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    FOREIGN KEY (company_id, connector_id)
        REFERENCES installed_connectors (company_id, connector_id)
);
CREATE INDEX instances_company ON instances (company_id, connector_id);

CREATE TABLE process_flows (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT  NOT NULL REFERENCES companies (id),
    name        TEXT    NOT NULL,
    enabled     BIGINT  NOT NULL
);

CREATE TABLE process_flow_instances (
    process_flow_id  BIGINT NOT NULL REFERENCES process_flows (id) ON DELETE CASCADE,
    instance_id      BIGINT NOT NULL REFERENCES instances (id),
    PRIMARY KEY (process_flow_id, instance_id)
);
CREATE INDEX process_flow_instances_instance ON process_flow_instances (instance_id);
