//! The checker's one tokio task: a round every few seconds until stopped.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::round::run_round;
use super::schedule::Limits;
use super::scope::Scope;
use crate::AppState;

/// How long the task waits between rounds.
pub const TICK: Duration = Duration::from_secs(5);

/// The running checker; [`HealthTask::stop`] ends it.
pub struct HealthTask {
    stop: Arc<Notify>,
    handle: JoinHandle<()>,
}

impl HealthTask {
    /// Starts checking the instances in `scope` every `minutes` minutes
    /// (`None` when 0: off). The first round runs one tick after start.
    pub fn start(state: AppState, minutes: u64, scope: Scope) -> Option<HealthTask> {
        if minutes == 0 {
            return None;
        }
        let limits = Limits::every_minutes(minutes);
        let stop = Arc::new(Notify::new());
        let stopped = stop.clone();
        let handle = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stopped.notified() => break,
                    _ = tokio::time::sleep(TICK) => {}
                }
                tokio::select! {
                    _ = stopped.notified() => break,
                    result = run_round(&state, &limits, &scope) => {
                        if let Err(error) = result {
                            tracing::warn!(%error, "a round of automatic checks failed");
                        }
                    }
                }
            }
        });
        tracing::info!(minutes, "checking every saved instance in the background");
        Some(HealthTask { stop, handle })
    }

    /// Stops the task (a round in progress is dropped) and waits for it.
    pub async fn stop(self) {
        self.stop.notify_one();
        let _ = self.handle.await;
    }
}
