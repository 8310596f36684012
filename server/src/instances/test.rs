//! Testing a draft's connection: nothing of the draft is saved. The test is
//! recorded in the history; a passing test earns a receipt the save of
//! exactly that draft needs; a test of the connection as saved also tells
//! the instance's status.

use conduit_types::draft::{self, InstanceDraft, TestDraftRequest, TestDraftResponse};
use conduit_types::{AuthMethodDef, Id, InstanceStatus, TestOutcome};

use super::accept::{accept, method, Accepted};
use super::authorise::{after_test, saved_tokens};
use super::receipt;
use super::secrets::connection_fields;
use crate::engine::{EngineError, OAuthTokens, TestInput, TestRun};
use crate::error::{ApiResult, AppError};
use crate::store::SessionUser;
use crate::AppState;

/// Tests `request`'s draft of instance `id`. Dropping this future (the
/// browser went away) stops the test.
pub async fn test_draft(
    state: &AppState,
    user: &SessionUser,
    id: Id,
    request: &TestDraftRequest,
) -> ApiResult<TestDraftResponse> {
    let draft = &request.draft;
    let accepted = accept(state, user, id, request.base_version, draft).await?;
    let stored = &accepted.stored;
    let saved = &stored.settings;
    let method = method(saved, draft)?;
    // Signing in through the provider is checked with the saved tokens.
    let authorised = if method.kind.needs_user_step() {
        Some(saved_tokens(state, user, saved, draft).await?)
    } else {
        None
    };

    let tokens = authorised.as_ref().map(|(tokens, _)| tokens.clone());
    let mut run = run_test(state, user, &accepted, method, draft, tokens).await?;
    let reconnect = match authorised {
        Some((_, authorised_at)) => after_test(state, user.company_id, id, authorised_at, &mut run).await?,
        None => false,
    };
    let result = run.result;
    let tested_at = state.clock.now();
    state.store.record_test_as(user.company_id, id, user.user_id, user.acting_as.as_deref(), &result).await?;
    tracing::info!(instance_id = id, user_id = user.user_id, outcome = ?result.outcome, "tested a draft");

    // A test of the connection as saved also tells how the instance is
    // doing; the answer says so, so the page's badge can follow at once.
    let mut status = None;
    if !draft::changes_connection(saved, draft) {
        if let Some(found) = status_found(reconnect, result.outcome) {
            let current = state
                .store
                .set_tested_status(user.company_id, id, saved.version, found, tested_at)
                .await?;
            status = current.then_some(found);
        }
    }

    // Saving such a method's connection takes an authorisation, not a receipt.
    let receipt = (result.outcome == TestOutcome::Ok && !method.kind.needs_user_step())
        .then(|| receipt::issue(state.store.receipts(), user, id, request.base_version, draft, tested_at));
    Ok(TestDraftResponse { result, receipt, status })
}

/// The engine's test of `draft`'s connection, its secrets resolved against
/// `accepted` (and the saved `oauth_tokens`, for a method that has them).
pub(super) async fn run_test(
    state: &AppState,
    user: &SessionUser,
    accepted: &Accepted,
    method: &AuthMethodDef,
    draft: &InstanceDraft,
    oauth_tokens: Option<OAuthTokens>,
) -> ApiResult<TestRun> {
    let input = TestInput {
        definition: accepted.stored.settings.connector.definition.clone(),
        variables: draft.details.variables.clone(),
        auth_method: method.key.clone(),
        fields: connection_fields(&accepted.stored, method, draft),
        tls: accepted.tls(draft),
        oauth_tokens,
    };
    state.engine.test(user.company_id, &input).await.map_err(|e| match e {
        EngineError::Busy => AppError::TooManyRequests(e.to_string()),
    })
}

/// The status a test of the saved connection finds: needing reconnecting
/// when the provider refused the saved authorisation, else what the
/// outcome says, if it says anything about the instance.
pub fn status_found(reconnect: bool, outcome: TestOutcome) -> Option<InstanceStatus> {
    if reconnect {
        Some(InstanceStatus::NeedsReconnecting)
    } else {
        status_of(outcome)
    }
}

/// What a test of the saved connection says about the instance's status.
fn status_of(outcome: TestOutcome) -> Option<InstanceStatus> {
    match outcome {
        TestOutcome::Ok => Some(InstanceStatus::Operational),
        TestOutcome::AuthRejected => Some(InstanceStatus::FailedAuthentication),
        TestOutcome::Dns | TestOutcome::Connect | TestOutcome::Tls | TestOutcome::Timeout => {
            Some(InstanceStatus::Unreachable)
        }
        TestOutcome::UnexpectedStatus | TestOutcome::BlockedByPolicy | TestOutcome::InvalidSettings => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_tells_the_status_only_when_its_outcome_is_about_the_instance() {
        assert_eq!(status_found(false, TestOutcome::Ok), Some(InstanceStatus::Operational));
        assert_eq!(status_found(false, TestOutcome::AuthRejected), Some(InstanceStatus::FailedAuthentication));
        for unreachable in [TestOutcome::Dns, TestOutcome::Connect, TestOutcome::Tls, TestOutcome::Timeout] {
            assert_eq!(status_found(false, unreachable), Some(InstanceStatus::Unreachable), "{unreachable:?}");
        }
        for silent in [TestOutcome::UnexpectedStatus, TestOutcome::BlockedByPolicy, TestOutcome::InvalidSettings] {
            assert_eq!(status_found(false, silent), None, "{silent:?}");
        }
    }

    #[test]
    fn a_refused_saved_authorisation_means_reconnecting() {
        assert_eq!(status_found(true, TestOutcome::AuthRejected), Some(InstanceStatus::NeedsReconnecting));
    }
}
