//! Authorising an instance with its provider (OAuth 2 authorisation code
//! with PKCE): start, the provider's callback, the status the page polls,
//! cancelling, and the begin address an embed session's popup opens first.
//! Status and cancelling take the session cookie or an embed token. The
//! steps themselves are the application layer's
//! ([`crate::instances::authorise`]); nothing here is saved.

use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use conduit_types::draft::{AuthoriseMode, AuthoriseRequest, AuthoriseStart, AuthorisationStatus};
use conduit_types::Id;

use super::current_user::Principal;
use super::html::escape;
use super::instance_call::InstanceCall;
use crate::authorise::LIFETIME_SECS;
use crate::embed::Use;
use crate::error::{ApiJson, ApiPath, ApiResult, AppError};
use crate::instances::authorise::{self, CallbackQuery, CallbackRefused, NOT_OPENABLE, OTHER_BROWSER, UNKNOWN_STATE};
use crate::store::SessionUser;
use crate::web_headers::came_over_https;
use crate::AppState;

/// The small script the popup page loads (the page has no inline script).
const CLOSE_JS: &str = "setTimeout(function () { window.close(); }, 1500);\n";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/instances/{id}/authorise", post(start))
        .route("/authorisations/{id}", get(status).delete(cancel))
        .route("/oauth/callback", get(callback))
        .route("/oauth/begin/{key}", get(begin))
        .route("/oauth/close.js", get(close_js))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

/// `POST /api/instances/{id}/authorise`: checks the draft as a test would,
/// keeps it in memory and answers the provider's consent page.
async fn start(call: InstanceCall, ApiJson(request): ApiJson<AuthoriseRequest>) -> ApiResult<Json<AuthoriseStart>> {
    call.allow(Use::Authorise, &request.draft).await?;
    authorise::start(&call.state, &call.user, call.id, &request, call.embed.is_some()).await.map(Json)
}

/// Who asks about an authorisation: a signed-in user, or an embed session
/// as the user it acts as, about its own instance only.
fn asker(principal: Principal) -> ApiResult<(SessionUser, Option<Id>)> {
    match principal {
        Principal::User(user) => Ok((user, None)),
        Principal::Embed(grant) => {
            grant.reach(grant.instance_id)?;
            Ok((grant.acting_user(), Some(grant.instance_id)))
        }
    }
}

/// `GET /api/authorisations/{id}`: only to whoever started it.
async fn status(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AuthorisationStatus>> {
    let (user, only) = asker(principal)?;
    state.authorisations.status(&id, &user, only).map(Json).ok_or_else(|| AppError::not_found("authorisation"))
}

/// `DELETE /api/authorisations/{id}`: cancels; nothing was saved.
async fn cancel(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let (user, only) = asker(principal)?;
    if state.authorisations.cancel(&id, &user, only) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found("authorisation"))
    }
}

/// `GET /api/oauth/begin/{key}`: where an embed session's popup starts.
/// The first window to open it gets a cookie of its own (first-party: the
/// popup is top-level on our origin), which the way back must carry, and is
/// sent on to the provider's consent page.
async fn begin(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar, ApiPath(key): ApiPath<String>) -> Response {
    let Some(opened) = state.authorisations.begin(&key) else {
        return page(StatusCode::BAD_REQUEST, NOT_OPENABLE, None);
    };
    let cookie = Cookie::build((opened.cookie_name, opened.cookie_value))
        .path(window_cookie_path(&state))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies || state.config.public_url_is_https() || came_over_https(&headers))
        .max_age(time::Duration::seconds(LIFETIME_SECS))
        .build();
    (jar.add(cookie), Redirect::to(&opened.consent_url)).into_response()
}

/// The window cookie is sent to the callback only.
fn window_cookie_path(state: &AppState) -> String {
    url::Url::parse(&authorise::callback_url(&state.config))
        .map(|u| u.path().to_owned())
        .unwrap_or_else(|_| authorise::CALLBACK_PATH.to_owned())
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
    let cookie = |name: &str| jar.get(name).map(|c| c.value().to_owned());
    match authorise::finish(&state, &params, &cookie).await {
        Ok(done) => {
            let jar = match &done.window_cookie {
                Some(name) => jar.clone().remove(Cookie::build(name.clone()).path(window_cookie_path(&state))),
                None => jar.clone(),
            };
            (jar, finished(done, &state.config.base_path)).into_response()
        }
        Err(CallbackRefused::UnknownState) => page(StatusCode::BAD_REQUEST, UNKNOWN_STATE, None),
        Err(CallbackRefused::OtherBrowser) => page(StatusCode::FORBIDDEN, OTHER_BROWSER, None),
        Err(CallbackRefused::Failed(e)) => e.into_response(),
    }
}

/// The page (or the way back to the settings) for a finished way back.
fn finished(done: authorise::Finished, base: &str) -> Response {
    match done.mode {
        AuthoriseMode::Popup => page(StatusCode::OK, &done.message, Some(base)),
        AuthoriseMode::Redirect => {
            let to = format!("{base}/instances/{}/settings/authentication?authorisation={}", done.instance_id, done.authorisation);
            Redirect::to(&to).into_response()
        }
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
