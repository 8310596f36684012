//! The `developer settings` page: the company's API keys and the origins
//! allowed to embed. HTTP only; the rules are [`crate::developer`]'s.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use conduit_types::developer::{CreatedApiKey, DeveloperSettings, EmbedOrigins, NewApiKey};
use conduit_types::Id;

use super::current_user::CurrentUser;
use crate::developer;
use crate::error::{ApiJson, ApiPath, ApiResult};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/developer", get(read))
        .route("/developer/keys", post(create_key))
        .route("/developer/keys/{id}", delete(revoke_key))
        .route("/developer/origins", put(replace_origins))
}

/// `GET /api/developer`: the live keys (never a secret) and the origins.
async fn read(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> ApiResult<Json<DeveloperSettings>> {
    developer::read(&state.store, &user).await.map(Json)
}

/// `POST /api/developer/keys`: 201 with the new key and its secret, once.
async fn create_key(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(new): ApiJson<NewApiKey>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    Ok((StatusCode::CREATED, Json(developer::create_key(&state.store, &user, &new).await?)))
}

/// `DELETE /api/developer/keys/{id}`: 204; the key mints nothing any more.
async fn revoke_key(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<StatusCode> {
    developer::revoke_key(&state.store, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/developer/origins`: replaces the whole list.
async fn replace_origins(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(new): ApiJson<EmbedOrigins>,
) -> ApiResult<Json<DeveloperSettings>> {
    developer::replace_origins(&state.store, &user, &new).await.map(Json)
}
