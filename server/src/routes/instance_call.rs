//! The extractor for a request about one instance (`/instances/{id}/…`):
//! the state, who it acts for and the instance's id, so that a handler
//! is one call of the application layer.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use conduit_types::draft::{changed_fields, InstanceDraft};
use conduit_types::Id;

use super::current_user::Principal;
use crate::embed::{EmbedGrant, Use};
use crate::error::{ApiPath, ApiResult, AppError};
use crate::instances;
use crate::store::SessionUser;
use crate::AppState;

/// What every instance route starts from. Rejects as its parts would, in
/// this order: 401 without a signed-in user or a live embed token, then
/// 400 for an id that is not one; for an embed token, 404 for another
/// instance than its own and 403 without `view`.
pub struct InstanceCall {
    pub state: AppState,
    /// The user the rules act for: the signed-in user, or for an embed
    /// session the key's creator, named in the history as its end user.
    pub user: SessionUser,
    pub id: Id,
    /// The embed session, when the request came with its token.
    pub embed: Option<EmbedGrant>,
}

impl FromRequestParts<AppState> for InstanceCall {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let principal = Principal::from_request_parts(parts, state).await?;
        let ApiPath(id) = ApiPath::<Id>::from_request_parts(parts, state).await?;
        let (user, embed) = match principal {
            Principal::User(user) => (user, None),
            Principal::Embed(grant) => {
                grant.reach(id)?;
                (grant.acting_user(), Some(grant))
            }
        };
        Ok(InstanceCall { state: state.clone(), user, id, embed })
    }
}

impl InstanceCall {
    /// Whether the request may do `what` with `draft` (what it changes
    /// from the saved settings); always for a signed-in user.
    pub async fn allow(&self, what: Use, draft: &InstanceDraft) -> ApiResult<()> {
        let Some(grant) = &self.embed else {
            return Ok(());
        };
        let saved = instances::settings(&self.state, &self.user, self.id).await?;
        grant.allow(what, &changed_fields(&saved, draft))
    }
}
