//! The `manage connectors` list.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use conduit_types::ConnectorList;

use super::current_user::CurrentUser;
use crate::error::ApiResult;
use crate::AppState;

pub fn router() -> axum::Router<AppState> {
    Router::new().route("/connectors", get(list))
}

async fn list(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> ApiResult<Json<ConnectorList>> {
    Ok(Json(state.store.connector_list(user.company_id).await?))
}
