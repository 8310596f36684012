//! The extractor for a request about one instance (`/instances/{id}/…`):
//! the state, the signed-in user and the instance's id, so that a handler
//! is one call of the application layer.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use conduit_types::Id;

use super::current_user::CurrentUser;
use crate::error::{ApiPath, AppError};
use crate::store::SessionUser;
use crate::AppState;

/// What every instance route starts from. Rejects as its parts would, in
/// this order: 401 without a signed-in user, then 400 for an id that is
/// not one.
pub struct InstanceCall {
    pub state: AppState,
    pub user: SessionUser,
    pub id: Id,
}

impl FromRequestParts<AppState> for InstanceCall {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        let ApiPath(id) = ApiPath::<Id>::from_request_parts(parts, state).await?;
        Ok(InstanceCall { state: state.clone(), user, id })
    }
}
