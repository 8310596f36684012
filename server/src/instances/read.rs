//! Reading an instance: its settings as the API answers them, and its
//! history of tests and saves.

use conduit_types::draft::InstanceHistory;
use conduit_types::{Id, InstanceSettings};

use super::authorise::callback_url;
use crate::error::{ApiResult, AppError};
use crate::store::SessionUser;
use crate::AppState;

/// The instance's settings as stored, with the address OAuth 2 providers
/// send people back to when the connector has a method that authorises
/// with the provider; 404 for another company's or a missing instance.
pub async fn settings(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<InstanceSettings> {
    let mut settings = state
        .store
        .instance_settings(user.company_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("instance"))?;
    if settings.connector.definition.auth_methods.iter().any(|m| m.kind.needs_user_step()) {
        settings.oauth_callback_url = Some(callback_url(&state.config));
    }
    Ok(settings)
}

/// Tests and saves, newest first.
pub async fn history(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<InstanceHistory> {
    state
        .store
        .history(user.company_id, id)
        .await?
        .map(|entries| InstanceHistory { entries })
        .ok_or_else(|| AppError::not_found("instance"))
}
