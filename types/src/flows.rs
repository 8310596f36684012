//! Process flows and their runs: `GET /api/process-flows/{id}` (the flow
//! with its recent runs) and `POST /api/process-flows/{id}/run` (run now).
//! A run records, for every request its step made, the instance and the
//! instance version whose saved settings the request used. Never a secret
//! or a third party's body.

use serde::{Deserialize, Serialize};

use crate::scalars::{Id, Timestamp};

/// An instance a flow uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowInstance {
    pub id: Id,
    pub name: String,
}

/// Who started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStart {
    /// The flow's schedule.
    Schedule,
    /// A person's `run now`.
    RunNow,
}

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Running,
    Succeeded,
    Failed,
}

/// One request a run's step made of an instance's API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowRequest {
    pub instance_id: Id,
    pub instance_name: String,
    /// The version of the instance's saved settings the request used
    /// (`None`: the instance could not be read, so no request was sent).
    pub instance_version: Option<i64>,
    pub at: Timestamp,
    pub http_status: Option<u16>,
    pub ok: bool,
    /// What happened, as a sentence.
    pub message: String,
}

/// One run of a flow, newest requests last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowRun {
    pub id: Id,
    pub started_by: RunStart,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub outcome: RunOutcome,
    /// Why a run failed, as a sentence.
    pub message: Option<String>,
    pub requests: Vec<FlowRequest>,
}

/// A process flow and its most recent runs, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessFlow {
    pub id: Id,
    pub name: String,
    pub enabled: bool,
    /// How often it runs on its own, in minutes (`None` while disabled or
    /// when the server's scheduler is off).
    pub runs_every_minutes: Option<u32>,
    /// How many requests its step makes of each instance per run.
    pub requests_per_run: u32,
    pub instances: Vec<FlowInstance>,
    pub runs: Vec<FlowRun>,
}

/// The answer to `POST /api/process-flows/{id}/run`: the run started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartedRun {
    pub run_id: Id,
}
