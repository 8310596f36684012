//! The scheduler's one tokio task: every few seconds, the due flows started
//! (a few at a time), until stopped. Runs a stopped server left unfinished
//! are marked failed when it starts.

use std::time::Duration;

use conduit_types::RunStart;

use super::run::{start_run, SERVER_STOPPED};
use super::schedule::to_start;
use crate::background::Background;
use crate::AppState;

/// How long the task waits between looks at the schedule.
pub const TICK: Duration = Duration::from_secs(5);

/// The running scheduler; [`FlowTask::stop`] ends it.
pub struct FlowTask(Background);

/// Starts the flows due now; answers how many it started.
pub async fn tick(state: &AppState, default_minutes: u32) -> anyhow::Result<usize> {
    let flows = state.store.scheduled_flows().await?;
    let due = to_start(&flows, &state.flows.running(), default_minutes, state.clock.now());
    let mut started = 0;
    for flow in due {
        if let super::run::Start::Started(_) = start_run(state, flow.company_id, flow.flow_id, RunStart::Schedule).await? {
            started += 1;
        }
    }
    Ok(started)
}

impl FlowTask {
    /// Starts the scheduler with flows running every `default_minutes`
    /// unless they say otherwise (`None` when 0: off, flows run only by
    /// `run now`). The first look is one tick after start.
    pub async fn start(state: AppState, default_minutes: u64) -> anyhow::Result<Option<FlowTask>> {
        let unfinished = state.store.fail_unfinished_flow_runs(SERVER_STOPPED).await?;
        if unfinished > 0 {
            tracing::info!(unfinished, "marked the process flow runs a stopped server left as failed");
        }
        if default_minutes == 0 {
            return Ok(None);
        }
        let minutes = u32::try_from(default_minutes)?;
        let background = Background::every(TICK, move || {
            let state = state.clone();
            async move {
                if let Err(error) = tick(&state, minutes).await {
                    tracing::warn!(%error, "could not start the due process flows");
                }
            }
        });
        tracing::info!(minutes, "running process flows on their schedules");
        Ok(Some(FlowTask(background)))
    }

    /// Stops the scheduler and waits for it (runs in progress go on until
    /// the server stops).
    pub async fn stop(self) {
        self.0.stop().await;
    }
}
