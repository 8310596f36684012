//! One request of a flow's step to one instance's API: the instance's rate
//! limit waited for, a place in its connection pool taken, then the
//! instance as saved at that moment (one snapshot) sent through the engine
//! and its egress policy. What it did becomes a [`FlowRequest`]: the
//! version used, the status and a sentence, never a secret or a body.

use conduit_types::{FlowInstance, FlowRequest, Id, TestOutcome};

use crate::instances::{authorise::after_test, saved_input};
use crate::AppState;

pub const GONE: &str = "The instance no longer exists, so no request was sent.";
pub const OUT_OF_SCOPE: &str =
    "The demo sends flows' requests only to its sandbox; this instance names a real provider, so no request was sent.";
pub const NO_METHOD: &str = "The instance's authentication method is no longer offered by its connector, so no request was sent.";
pub const NOT_AUTHORISED: &str = "The instance is not authorised yet, so no request was sent. Authorise it in its settings.";

/// Makes one request of `instance`'s API for a run of company `company_id`.
pub async fn request(state: &AppState, company_id: Id, instance: &FlowInstance) -> anyhow::Result<FlowRequest> {
    let runner = &state.flows;
    let not_sent = |message: &str, version: Option<i64>| FlowRequest {
        instance_id: instance.id,
        instance_name: instance.name.clone(),
        instance_version: version,
        at: state.clock.now(),
        http_status: None,
        ok: false,
        message: message.to_owned(),
    };
    if !runner.may_call(instance.id) {
        return Ok(not_sent(OUT_OF_SCOPE, None));
    }
    // Its limit and pool as saved now; a save while waiting applies to the request itself.
    let Some(before) = runner.snapshots.take(&state.store, company_id, instance.id).await? else {
        return Ok(not_sent(GONE, None));
    };
    let details = &before.connection.settings.details;
    if let Some(limit) = details.rate_limit {
        runner.rates.acquire(instance.id, limit, &state.clock).await;
    }
    let _place = match &details.connection_pool {
        Some(pool) => match state.store.pool_cap(company_id, pool).await? {
            Some(cap) => Some(runner.pools.acquire(company_id, pool, cap).await),
            None => None,
        },
        None => None,
    };
    // The instance as saved at the moment the request is made.
    let Some(snapshot) = runner.snapshots.take(&state.store, company_id, instance.id).await? else {
        return Ok(not_sent(GONE, None));
    };
    let version = Some(snapshot.version());
    let connection = &snapshot.connection;
    let settings = &connection.settings;
    let Some(method) = settings.connector.definition.auth_method(&settings.authentication.method) else {
        return Ok(not_sent(NO_METHOD, version));
    };
    if method.kind.needs_user_step() && snapshot.tokens.is_none() {
        return Ok(not_sent(NOT_AUTHORISED, version));
    }
    let Some(input) = saved_input(connection, snapshot.tokens.as_ref().map(|(tokens, _)| tokens.clone())) else {
        return Ok(not_sent(NO_METHOD, version));
    };
    let at = state.clock.now();
    let mut run = state.engine.call(company_id, &input).await;
    if let Some((_, authorised_at)) = snapshot.tokens {
        after_test(state, company_id, instance.id, authorised_at, &mut run)
            .await
            .map_err(|e| anyhow::anyhow!("could not keep the renewed tokens: {e}"))?;
    }
    let result = run.result;
    tracing::info!(company_id, instance_id = instance.id, version = ?version, outcome = ?result.outcome, "a process flow's request");
    Ok(FlowRequest {
        instance_id: instance.id,
        instance_name: settings.details.name.clone(),
        instance_version: version,
        at,
        http_status: result.http_status,
        ok: result.outcome == TestOutcome::Ok,
        message: result.message,
    })
}
