//! One instance's settings.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use conduit_types::{Id, InstanceSettings};

use crate::auth::CurrentUser;
use crate::error::{ApiPath, ApiResult, AppError};
use crate::AppState;

pub fn router() -> axum::Router<AppState> {
    Router::new().route("/instances/{id}", get(read))
}

async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<Json<InstanceSettings>> {
    // Another company's instance is answered exactly like a missing one.
    state
        .store
        .instance_settings(user.company_id, id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found("instance"))
}
