//! One check: the saved connection of one instance, tested through the
//! engine (its egress policy and per-company limit) exactly as a person's
//! test of the saved settings is, renewing OAuth 2 tokens as that does;
//! then the status recorded, and the history told when it changed.

use conduit_types::{Id, InstanceStatus};

use super::status::status_after_check;
use crate::engine::EngineError;
use crate::instances::authorise::after_test;
use crate::instances::saved_input;
use crate::AppState;

/// What one check did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// Tested; the status it recorded (`None`: the outcome said nothing).
    Tested { found: Option<InstanceStatus>, changed: bool },
    /// Nothing to test with (an authorisation-code method not yet
    /// authorised, or a method the connector no longer has).
    Skipped,
    /// The engine was busy with this company's tests; tried again later.
    Busy,
    /// The instance is gone or was saved during the check.
    Stale,
}

/// Checks instance `instance_id` of `company_id` as saved now.
pub async fn check(state: &AppState, company_id: Id, instance_id: Id) -> anyhow::Result<Checked> {
    let Some(stored) = state.store.connection(company_id, instance_id).await? else {
        return Ok(Checked::Stale);
    };
    let saved = &stored.settings;
    let Some(method) = saved.connector.definition.auth_method(&saved.authentication.method) else {
        state.store.mark_checked(company_id, instance_id, state.clock.now()).await?;
        return Ok(Checked::Skipped);
    };
    let authorised = if method.kind.needs_user_step() {
        match state.store.oauth_tokens(company_id, instance_id).await? {
            Some(tokens) => Some(tokens),
            None => {
                state.store.mark_checked(company_id, instance_id, state.clock.now()).await?;
                return Ok(Checked::Skipped);
            }
        }
    } else {
        None
    };
    let Some(input) = saved_input(&stored, authorised.as_ref().map(|(tokens, _)| tokens.clone())) else {
        return Ok(Checked::Skipped);
    };
    let mut run = match state.engine.test(company_id, &input).await {
        Ok(run) => run,
        Err(EngineError::Busy) => return Ok(Checked::Busy),
    };
    let reconnect = match authorised {
        Some((_, authorised_at)) => after_test(state, company_id, instance_id, authorised_at, &mut run)
            .await
            .map_err(|e| anyhow::anyhow!("could not keep the renewed tokens: {e}"))?,
        None => false,
    };
    let now = state.clock.now();
    let found = status_after_check(reconnect, run.result.outcome, &saved.certificate, now);
    if !state.store.record_check(company_id, instance_id, saved.version, found, now).await? {
        return Ok(Checked::Stale);
    }
    let changed = found.is_some_and(|found| found != saved.status);
    if changed {
        state.store.record_automatic_check(company_id, instance_id, &run.result).await?;
    }
    tracing::info!(instance_id, company_id, outcome = ?run.result.outcome, status = ?found, changed, "checked an instance");
    Ok(Checked::Tested { found, changed })
}
