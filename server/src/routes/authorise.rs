//! Authorising an instance with its provider (OAuth 2 authorisation code
//! with PKCE): start, the provider's callback, the status the page polls,
//! cancelling. The steps themselves are the application layer's
//! ([`crate::instances::authorise`]); nothing here is saved.

use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use conduit_types::draft::{AuthoriseMode, AuthoriseRequest, AuthoriseStart, AuthorisationStatus};

use super::current_user::{session_token, CurrentUser};
use super::html::escape;
use super::instance_call::InstanceCall;
use crate::embed::Use;
use crate::error::{ApiJson, ApiPath, ApiResult, AppError};
use crate::instances::authorise::{self, CallbackQuery, CallbackRefused, OTHER_BROWSER, UNKNOWN_STATE};
use crate::AppState;

/// The small script the popup page loads (the page has no inline script).
const CLOSE_JS: &str = "setTimeout(function () { window.close(); }, 1500);\n";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/instances/{id}/authorise", post(start))
        .route("/authorisations/{id}", get(status).delete(cancel))
        .route("/oauth/callback", get(callback))
        .route("/oauth/close.js", get(close_js))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

/// `POST /api/instances/{id}/authorise`: checks the draft as a test would,
/// keeps it in memory and answers the provider's consent page.
async fn start(call: InstanceCall, ApiJson(request): ApiJson<AuthoriseRequest>) -> ApiResult<Json<AuthoriseStart>> {
    call.allow(Use::Authorise, &request.draft).await?;
    authorise::start(&call.state, &call.user, call.id, &request).await.map(Json)
}

/// `GET /api/authorisations/{id}`: only to the user who started it.
async fn status(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AuthorisationStatus>> {
    state.authorisations.status(&id, &user).map(Json).ok_or_else(|| AppError::not_found("authorisation"))
}

/// `DELETE /api/authorisations/{id}`: cancels; nothing was saved.
async fn cancel(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    if state.authorisations.cancel(&id, &user) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found("authorisation"))
    }
}

async fn close_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], CLOSE_JS).into_response()
}

/// `GET /api/oauth/callback`: where the provider sends the user back; the
/// outcome is a page in words (in a popup, one that closes itself) or, for
/// a full-page visit, the way back to the instance's settings.
async fn callback(State(state): State<AppState>, jar: CookieJar, RawQuery(query): RawQuery) -> Response {
    let mut params = CallbackQuery::default();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned() {
        let slot = match key.as_str() {
            "state" => &mut params.state,
            "code" => &mut params.code,
            "error" => &mut params.error,
            _ => continue,
        };
        slot.get_or_insert(value);
    }
    match authorise::finish(&state, &params, session_token(&jar).as_deref()).await {
        Ok(done) => match done.mode {
            AuthoriseMode::Popup => page(StatusCode::OK, &done.message, Some(&state.config.base_path)),
            AuthoriseMode::Redirect => {
                let base = &state.config.base_path;
                let to = format!("{base}/instances/{}/settings/authentication?authorisation={}", done.instance_id, done.authorisation);
                Redirect::to(&to).into_response()
            }
        },
        Err(CallbackRefused::UnknownState) => page(StatusCode::BAD_REQUEST, UNKNOWN_STATE, None),
        Err(CallbackRefused::OtherBrowser) => page(StatusCode::FORBIDDEN, OTHER_BROWSER, None),
        Err(CallbackRefused::Failed(e)) => e.into_response(),
    }
}

/// A small page saying the outcome in words; in a popup it closes itself
/// (with the script under the base path `close`).
fn page(status: StatusCode, message: &str, close: Option<&str>) -> Response {
    let script = match close {
        Some(base) => format!(r#"<script src="{base}/api/oauth/close.js"></script>"#),
        None => String::new(),
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>conduit: authorising</title></head>\
         <body><main><h1>Authorising with the provider</h1><p>{}</p></main>{script}</body></html>",
        escape(message)
    );
    (status, Html(body)).into_response()
}
