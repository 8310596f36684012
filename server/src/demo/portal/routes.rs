//! The sample partner portal's HTTP side: its page, CSS and script, and
//! `POST /conduit-session` (`{"instance": N}`), which asks conduit for an
//! embed session with the demo key and answers conduit's JSON as it is.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use conduit_types::Id;

use super::conduit_client::{post_json, ApiKey};
use super::error::PortalError;
use super::page;
use super::rules::{Portal, SESSION_PATH};

/// What the routes share: the portal and the key it sends conduit.
pub struct PortalState {
    pub portal: Portal,
    pub key: ApiKey,
}

/// The portal's routes.
pub fn router(state: PortalState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/portal.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], page::CSS) }))
        .route("/portal.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], page::SCRIPT) }))
        .route(SESSION_PATH, post(session))
        .layer(axum::middleware::map_response(|mut response: Response| async move {
            response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }))
        .with_state(Arc::new(state))
}

async fn index(State(state): State<Arc<PortalState>>) -> Response {
    let csp = HeaderValue::from_str(&page::csp(&state.portal)).expect("the policy is plain ASCII");
    ([(header::CONTENT_SECURITY_POLICY, csp), (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], page::html(&state.portal))
        .into_response()
}

#[derive(serde::Deserialize)]
struct SessionAsk {
    instance: Id,
}

async fn session(State(state): State<Arc<PortalState>>, headers: HeaderMap, body: Bytes) -> Result<Response, PortalError> {
    state.portal.check_caller(headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()))?;
    let ask: SessionAsk = serde_json::from_slice(&body).map_err(|_| PortalError::BadRequest)?;
    let request = state.portal.session_request(ask.instance)?;
    let body = serde_json::to_vec(&request).expect("a session request serialises");
    let answer = post_json(&state.portal.conduit, "/api/embed/sessions", &state.key, body).await.map_err(|error| {
        tracing::warn!(error = %format!("{error:#}"), "conduit did not answer the session request");
        PortalError::ConduitUnreachable
    })?;
    Ok((answer.status, [(header::CONTENT_TYPE, "application/json")], answer.body).into_response())
}
