-- Process flows that run: how often a flow runs on its own (NULL: the
-- server's default), how many requests its step makes of each instance it
-- uses per run, and a connection pool's cap on concurrent requests shared by
-- the instances in it (NULL: no cap).
-- A flow's runs, and every request a run made: the instance, the instance
-- VERSION whose saved settings the request used, its HTTP status and a
-- readable sentence. Never a secret or a third party's body.
-- started_by: 'schedule' or 'run_now'; outcome: 'running', 'succeeded' or 'failed'.
-- Times are Unix seconds (UTC).
ALTER TABLE process_flows ADD COLUMN run_every_minutes BIGINT;
ALTER TABLE process_flows ADD COLUMN requests_per_run BIGINT NOT NULL DEFAULT 1;
ALTER TABLE connection_pools ADD COLUMN max_concurrent BIGINT;

CREATE TABLE flow_runs (
    id               INTEGER PRIMARY KEY,
    company_id       BIGINT  NOT NULL REFERENCES companies (id),
    process_flow_id  BIGINT  NOT NULL REFERENCES process_flows (id) ON DELETE CASCADE,
    started_by       TEXT    NOT NULL,
    started_at       BIGINT  NOT NULL,
    finished_at      BIGINT,
    outcome          TEXT    NOT NULL,
    message          TEXT
);
CREATE INDEX flow_runs_flow ON flow_runs (company_id, process_flow_id, id);

-- instance_id has no foreign key: a run's record outlives a deleted instance.
CREATE TABLE flow_run_requests (
    id                INTEGER PRIMARY KEY,
    run_id            BIGINT  NOT NULL REFERENCES flow_runs (id) ON DELETE CASCADE,
    instance_id       BIGINT  NOT NULL,
    instance_name     TEXT    NOT NULL,
    instance_version  BIGINT,
    at                BIGINT  NOT NULL,
    http_status       BIGINT,
    ok                BIGINT  NOT NULL,
    message           TEXT    NOT NULL
);
CREATE INDEX flow_run_requests_run ON flow_run_requests (run_id, id);
