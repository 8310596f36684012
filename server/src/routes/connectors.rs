//! The `manage connectors` list: `GET /api/connectors?search=…&status=…&connector=…&limit=…&after=…`
//! (the parameters are `conduit_types::list_query`'s).

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use conduit_types::{ConnectorList, ListQuery};

use super::current_user::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::paging::Cursor;
use crate::AppState;

pub fn router() -> axum::Router<AppState> {
    Router::new().route("/connectors", get(list))
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<ConnectorList>> {
    let query = ListQuery::parse(&pairs).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let after = query.after.as_deref().map(Cursor::decode).transpose().map_err(|e| AppError::BadRequest(e.to_string()))?;
    Ok(Json(state.store.connector_page(user.company_id, &query, after.as_ref()).await?))
}
