//! Embed sessions: `POST /api/embed/sessions` (the host's backend, with a
//! company API key) and `POST /api/embed/exchange` (the iframe, with the
//! session's one-time secret). HTTP only; the rules are [`crate::embed`]'s.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use conduit_types::{EmbedExchange, EmbedSessionSecret, EmbedToken, NewEmbedSession};

use crate::bearer::bearer;
use crate::embed;
use crate::error::{ApiJson, ApiResult};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/embed/sessions", post(mint)).route("/embed/exchange", post(exchange))
}

/// `POST /api/embed/sessions`: 201 with the session's one-time secret.
async fn mint(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewEmbedSession>,
) -> ApiResult<(StatusCode, Json<EmbedSessionSecret>)> {
    // A host's backend sends no Origin; a key sent from another site's page
    // is refused by the route layer (`routes::router`).
    Ok((StatusCode::CREATED, Json(embed::mint(&state.store, bearer(&headers), &new).await?)))
}

/// `POST /api/embed/exchange`: the bearer token for the session.
async fn exchange(State(state): State<AppState>, ApiJson(body): ApiJson<EmbedExchange>) -> ApiResult<Json<EmbedToken>> {
    embed::exchange(&state.store, &body.secret, &body.origin, state.config.embed_token_seconds).await.map(Json)
}
