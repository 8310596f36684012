//! One run of a flow: recorded as started, then its step makes
//! `requests_per_run` requests of each instance the flow uses (the
//! instances side by side, each one's requests one after another, stopping
//! at its first failure), each request recorded as it is made, and the run
//! recorded as ended. A flow runs once at a time.

use conduit_types::{FlowRequest, Id, RunOutcome, RunStart};
use tokio::task::JoinSet;

use super::outcome::run_outcome;
use super::request::request;
use crate::store::FlowPlan;
use crate::AppState;

pub const STOPPED: &str = "The run stopped before it finished: the server could not record it. Run the flow again.";
pub const SERVER_STOPPED: &str = "The server stopped during this run.";

/// How many of a flow's runs are kept; older ones are forgotten.
pub const KEPT_RUNS: i64 = 100;

/// What starting a run did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    Started(Id),
    /// The flow is running already.
    Running,
    /// No such flow in the company.
    NotFound,
}

/// Starts a run of the company's flow `flow_id`; it goes on in the
/// background, and [`Start::Started`] names it at once.
pub async fn start_run(state: &AppState, company_id: Id, flow_id: Id, by: RunStart) -> anyhow::Result<Start> {
    let Some(plan) = state.store.flow_plan(company_id, flow_id).await? else {
        return Ok(Start::NotFound);
    };
    if !state.flows.begin(flow_id) {
        return Ok(Start::Running);
    }
    let guard = Running { state: state.clone(), flow_id };
    let run_id = state.store.start_flow_run(company_id, flow_id, by).await?;
    tracing::info!(company_id, flow_id, run_id, ?by, "a process flow run started");
    tokio::spawn(async move {
        let guard = guard;
        let state = &guard.state;
        let (outcome, message) = match steps(state, &plan, run_id).await {
            Ok(requests) => run_outcome(&requests),
            Err(error) => {
                tracing::warn!(flow_id, run_id, %error, "a process flow run stopped");
                (RunOutcome::Failed, Some(STOPPED.to_owned()))
            }
        };
        if let Err(error) = state.store.finish_flow_run(run_id, outcome, message.as_deref()).await {
            tracing::warn!(flow_id, run_id, %error, "could not record the end of a process flow run");
        }
        if let Err(error) = state.store.prune_flow_runs(flow_id, KEPT_RUNS).await {
            tracing::warn!(flow_id, %error, "could not forget a process flow's old runs");
        }
    });
    Ok(Start::Started(run_id))
}

/// Ends the flow's turn however its run ends.
struct Running {
    state: AppState,
    flow_id: Id,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.state.flows.end(self.flow_id);
    }
}

async fn steps(state: &AppState, plan: &FlowPlan, run_id: Id) -> anyhow::Result<Vec<FlowRequest>> {
    let mut each = JoinSet::new();
    for instance in plan.instances.clone() {
        let (state, company_id, times) = (state.clone(), plan.company_id, plan.requests_per_run);
        each.spawn(async move {
            let mut made = vec![];
            for _ in 0..times {
                let done = request(&state, company_id, &instance).await?;
                state.store.add_flow_request(run_id, &done).await?;
                let ok = done.ok;
                made.push(done);
                if !ok {
                    break;
                }
            }
            anyhow::Ok(made)
        });
    }
    let mut all = vec![];
    while let Some(joined) = each.join_next().await {
        all.extend(joined??);
    }
    Ok(all)
}
