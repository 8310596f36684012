//! What the API answers about a flow: the flow with its recent runs, and
//! `run now`. Only the signed-in user's company's flows; another company's
//! id answers like an unknown one.

use conduit_types::{FlowRun, Id, ProcessFlow, RunStart, StartedRun};

use super::run::{start_run, Start};
use super::schedule::{interval, ScheduledFlow};
use crate::error::{ApiResult, AppError};
use crate::AppState;

/// How many runs a flow's page lists.
pub const RECENT_RUNS: i64 = 20;

pub const ALREADY_RUNNING: &str = "This flow is running now. Wait for its run to finish, then run it again.";

fn no_flow() -> AppError {
    AppError::not_found("process flow")
}

/// The company's flow `flow_id` with its newest runs.
pub async fn process_flow(state: &AppState, company_id: Id, flow_id: Id) -> ApiResult<ProcessFlow> {
    let plan = state.store.flow_plan(company_id, flow_id).await?.ok_or_else(no_flow)?;
    let scheduled = ScheduledFlow {
        company_id,
        flow_id,
        enabled: plan.enabled,
        run_every_minutes: plan.run_every_minutes,
        last_started_at: None,
    };
    let default_minutes = u32::try_from(state.config.flow_run_minutes).unwrap_or(0);
    Ok(ProcessFlow {
        id: plan.id,
        name: plan.name,
        enabled: plan.enabled,
        runs_every_minutes: interval(&scheduled, default_minutes),
        requests_per_run: plan.requests_per_run,
        instances: plan.instances,
        runs: state.store.flow_runs(company_id, flow_id, RECENT_RUNS).await?,
    })
}

/// The company's flow's newest runs.
pub async fn runs(state: &AppState, company_id: Id, flow_id: Id) -> ApiResult<Vec<FlowRun>> {
    state.store.flow_plan(company_id, flow_id).await?.ok_or_else(no_flow)?;
    Ok(state.store.flow_runs(company_id, flow_id, RECENT_RUNS).await?)
}

/// Starts a run of the company's flow now (a disabled flow too: a person
/// asked for it).
pub async fn run_now(state: &AppState, company_id: Id, flow_id: Id) -> ApiResult<StartedRun> {
    match start_run(state, company_id, flow_id, RunStart::RunNow).await? {
        Start::Started(run_id) => Ok(StartedRun { run_id }),
        Start::Running => Err(AppError::Conflict { message: ALREADY_RUNNING.to_owned(), conflict: None }),
        Start::NotFound => Err(no_flow()),
    }
}
