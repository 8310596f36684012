//! What the process-flow runner reads and records: a flow with the
//! instances it uses, the flows the scheduler looks at, a flow's runs and
//! the requests each run made (the instance version each used, its status
//! and a sentence; never a secret or a third party's body).

use conduit_types::{FlowInstance, FlowRequest, FlowRun, Id, RunOutcome, RunStart};
use sqlx::Row;

use super::handle::Store;
use crate::flows::schedule::ScheduledFlow;

/// A flow as the runner needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowPlan {
    pub id: Id,
    pub company_id: Id,
    pub name: String,
    pub enabled: bool,
    pub run_every_minutes: Option<u32>,
    pub requests_per_run: u32,
    pub instances: Vec<FlowInstance>,
}

fn start_key(by: RunStart) -> &'static str {
    match by {
        RunStart::Schedule => "schedule",
        RunStart::RunNow => "run_now",
    }
}

fn outcome_key(outcome: RunOutcome) -> &'static str {
    match outcome {
        RunOutcome::Running => "running",
        RunOutcome::Succeeded => "succeeded",
        RunOutcome::Failed => "failed",
    }
}

fn parse_outcome(key: &str) -> RunOutcome {
    match key {
        "running" => RunOutcome::Running,
        "succeeded" => RunOutcome::Succeeded,
        _ => RunOutcome::Failed,
    }
}

fn minutes(value: Option<i64>) -> Option<u32> {
    value.and_then(|m| u32::try_from(m).ok())
}

impl Store {
    /// The company's flow `flow_id` with the instances it uses, by name.
    pub async fn flow_plan(&self, company_id: Id, flow_id: Id) -> anyhow::Result<Option<FlowPlan>> {
        let Some(row) = sqlx::query(
            "SELECT id, name, enabled, run_every_minutes, requests_per_run FROM process_flows
             WHERE id = $1 AND company_id = $2",
        )
        .bind(flow_id)
        .bind(company_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let instances = sqlx::query(
            "SELECT i.id, i.name FROM process_flow_instances pfi JOIN instances i ON i.id = pfi.instance_id
             WHERE pfi.process_flow_id = $1 AND i.company_id = $2 ORDER BY i.name, i.id",
        )
        .bind(flow_id)
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(FlowInstance { id: r.try_get("id")?, name: r.try_get("name")? }))
        .collect::<anyhow::Result<_>>()?;
        Ok(Some(FlowPlan {
            id: row.try_get("id")?,
            company_id,
            name: row.try_get("name")?,
            enabled: row.try_get::<i64, _>("enabled")? != 0,
            run_every_minutes: minutes(row.try_get("run_every_minutes")?),
            requests_per_run: u32::try_from(row.try_get::<i64, _>("requests_per_run")?)?.max(1),
            instances,
        }))
    }

    /// Sets how often a flow runs on its own (`None`: the server's default)
    /// and how many requests its step makes of each instance per run.
    pub async fn set_flow_schedule(
        &self,
        company_id: Id,
        flow_id: Id,
        run_every_minutes: Option<u32>,
        requests_per_run: u32,
    ) -> anyhow::Result<bool> {
        let statement = sqlx::query(
            "UPDATE process_flows SET run_every_minutes = $1, requests_per_run = $2 WHERE id = $3 AND company_id = $4",
        )
        .bind(run_every_minutes.map(i64::from))
        .bind(i64::from(requests_per_run.max(1)))
        .bind(flow_id)
        .bind(company_id);
        self.changed_one(statement).await
    }

    /// Every company's flows, with when each last started a run.
    pub async fn scheduled_flows(&self) -> anyhow::Result<Vec<ScheduledFlow>> {
        sqlx::query(
            "SELECT pf.id, pf.company_id, pf.enabled, pf.run_every_minutes,
                    (SELECT MAX(r.started_at) FROM flow_runs r WHERE r.process_flow_id = pf.id) AS last_started_at
             FROM process_flows pf ORDER BY pf.id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ScheduledFlow {
                company_id: r.try_get("company_id")?,
                flow_id: r.try_get("id")?,
                enabled: r.try_get::<i64, _>("enabled")? != 0,
                run_every_minutes: minutes(r.try_get("run_every_minutes")?),
                last_started_at: r.try_get("last_started_at")?,
            })
        })
        .collect()
    }

    /// Records that a run of the flow started; its id.
    pub async fn start_flow_run(&self, company_id: Id, flow_id: Id, by: RunStart) -> anyhow::Result<Id> {
        let row = sqlx::query(
            "INSERT INTO flow_runs (company_id, process_flow_id, started_by, started_at, outcome)
             VALUES ($1, $2, $3, $4, 'running') RETURNING id",
        )
        .bind(company_id)
        .bind(flow_id)
        .bind(start_key(by))
        .bind(self.now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Records one request a run made.
    pub async fn add_flow_request(&self, run_id: Id, request: &FlowRequest) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO flow_run_requests (run_id, instance_id, instance_name, instance_version, at, http_status, ok, message)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(run_id)
        .bind(request.instance_id)
        .bind(&request.instance_name)
        .bind(request.instance_version)
        .bind(request.at)
        .bind(request.http_status.map(i64::from))
        .bind(i64::from(request.ok))
        .bind(&request.message)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records how a run ended.
    pub async fn finish_flow_run(&self, run_id: Id, outcome: RunOutcome, message: Option<&str>) -> anyhow::Result<()> {
        sqlx::query("UPDATE flow_runs SET outcome = $1, message = $2, finished_at = $3 WHERE id = $4")
            .bind(outcome_key(outcome))
            .bind(message)
            .bind(self.now())
            .bind(run_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets all but the flow's newest `keep` runs, with their requests.
    pub async fn prune_flow_runs(&self, flow_id: Id, keep: i64) -> anyhow::Result<()> {
        let old = "SELECT id FROM flow_runs WHERE process_flow_id = $1 AND id NOT IN
                   (SELECT id FROM (SELECT id FROM flow_runs WHERE process_flow_id = $1 ORDER BY id DESC LIMIT $2) AS newest)";
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("DELETE FROM flow_run_requests WHERE run_id IN ({old})"))
            .bind(flow_id)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!("DELETE FROM flow_runs WHERE id IN ({old})"))
            .bind(flow_id)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks the runs a stopped server left unfinished as failed, saying why.
    pub async fn fail_unfinished_flow_runs(&self, message: &str) -> anyhow::Result<u64> {
        let done = sqlx::query("UPDATE flow_runs SET outcome = 'failed', message = $1, finished_at = $2 WHERE outcome = 'running'")
            .bind(message)
            .bind(self.now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The company's flow's newest `limit` runs, newest first, each with its
    /// requests in the order they were made.
    pub async fn flow_runs(&self, company_id: Id, flow_id: Id, limit: i64) -> anyhow::Result<Vec<FlowRun>> {
        let runs = sqlx::query(
            "SELECT id, started_by, started_at, finished_at, outcome, message FROM flow_runs
             WHERE company_id = $1 AND process_flow_id = $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(company_id)
        .bind(flow_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut answer = Vec::with_capacity(runs.len());
        for r in &runs {
            let id: Id = r.try_get("id")?;
            let requests = sqlx::query(
                "SELECT instance_id, instance_name, instance_version, at, http_status, ok, message
                 FROM flow_run_requests WHERE run_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|q| {
                Ok(FlowRequest {
                    instance_id: q.try_get("instance_id")?,
                    instance_name: q.try_get("instance_name")?,
                    instance_version: q.try_get("instance_version")?,
                    at: q.try_get("at")?,
                    http_status: q.try_get::<Option<i64>, _>("http_status")?.and_then(|s| u16::try_from(s).ok()),
                    ok: q.try_get::<i64, _>("ok")? != 0,
                    message: q.try_get("message")?,
                })
            })
            .collect::<anyhow::Result<_>>()?;
            answer.push(FlowRun {
                id,
                started_by: if r.try_get::<String, _>("started_by")? == "schedule" { RunStart::Schedule } else { RunStart::RunNow },
                started_at: r.try_get("started_at")?,
                finished_at: r.try_get("finished_at")?,
                outcome: parse_outcome(&r.try_get::<String, _>("outcome")?),
                message: r.try_get("message")?,
                requests,
            });
        }
        Ok(answer)
    }

    /// The saved version of the company's instance, if it exists: what a
    /// copy of its settings read earlier is checked against.
    pub async fn instance_version(&self, company_id: Id, instance_id: Id) -> anyhow::Result<Option<i64>> {
        let row = sqlx::query("SELECT version FROM instances WHERE id = $1 AND company_id = $2")
            .bind(instance_id)
            .bind(company_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("version")?),
            None => None,
        })
    }
}
