//! The checker's one tokio task: a round every few seconds until stopped.

use std::time::Duration;

use super::round::run_round;
use super::schedule::Limits;
use super::scope::Scope;
use crate::background::Background;
use crate::AppState;

/// How long the task waits between rounds.
pub const TICK: Duration = Duration::from_secs(5);

/// The running checker; [`HealthTask::stop`] ends it.
pub struct HealthTask(Background);

impl HealthTask {
    /// Starts checking the instances in `scope` every `minutes` minutes
    /// (`None` when 0: off). The first round runs one tick after start.
    pub fn start(state: AppState, minutes: u64, scope: Scope) -> Option<HealthTask> {
        if minutes == 0 {
            return None;
        }
        let limits = Limits::every_minutes(minutes);
        let background = Background::every(TICK, move || {
            let (state, scope) = (state.clone(), scope.clone());
            async move {
                if let Err(error) = run_round(&state, &limits, &scope).await {
                    tracing::warn!(%error, "a round of automatic checks failed");
                }
            }
        });
        tracing::info!(minutes, "checking every saved instance in the background");
        Some(HealthTask(background))
    }

    /// Stops the task (a round in progress is dropped) and waits for it.
    pub async fn stop(self) {
        self.0.stop().await;
    }
}
