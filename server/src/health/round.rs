//! One round of the checker: the due instances, in order, in batches under
//! the caps (each batch's checks run together), until none is due or the
//! round's bound is reached.

use tokio::task::JoinSet;

use super::check::{check, Checked};
use super::schedule::{due, pick, Limits};
use super::scope::Scope;
use crate::AppState;

/// The most batches one round runs, so a round always ends.
pub const MAX_BATCHES: usize = 50;

/// Runs the checks due now of the instances in `scope`; answers how many instances were tested.
/// A failed check is logged (never a secret) and does not stop the others.
pub async fn run_round(state: &AppState, limits: &Limits, scope: &Scope) -> anyhow::Result<usize> {
    let mut tested = 0;
    let mut tried = std::collections::BTreeSet::new();
    for _ in 0..MAX_BATCHES {
        let candidates = state.store.health_candidates().await?;
        // An instance whose check could not finish this round waits for the next.
        let waiting: Vec<_> = due(&candidates, state.clock.now(), limits.period)
            .into_iter()
            .filter(|c| scope.includes(c.instance_id) && !tried.contains(&c.instance_id))
            .collect();
        let batch = pick(&waiting, limits);
        if batch.is_empty() {
            break;
        }
        let mut running = JoinSet::new();
        for candidate in batch {
            tried.insert(candidate.instance_id);
            let state = state.clone();
            running.spawn(async move {
                (candidate.instance_id, check(&state, candidate.company_id, candidate.instance_id).await)
            });
        }
        while let Some(joined) = running.join_next().await {
            match joined {
                Ok((_, Ok(Checked::Tested { .. }))) => tested += 1,
                Ok((_, Ok(_))) => {}
                Ok((instance_id, Err(error))) => tracing::warn!(instance_id, %error, "an automatic check failed"),
                Err(error) => tracing::warn!(%error, "an automatic check stopped"),
            }
        }
    }
    Ok(tested)
}
