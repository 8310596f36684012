//! Authorising an instance with its provider (OAuth 2 authorisation code
//! with PKCE): start, the provider's callback, the status the page polls,
//! cancelling; and the saved tokens' part in connection tests.
//!
//! Nothing here is saved: a save naming a completed authorisation stores
//! its tokens (see `instances::save`).

use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use conduit_types::draft::{self, AuthoriseMode, AuthoriseRequest, AuthoriseStart, AuthorisationStatus, InstanceDraft};
use conduit_types::{Id, InstanceSettings, TestOutcome, TestResult, Timestamp};

use super::escape;
use super::instances::{accept, connection_fields, method, NEEDS_AUTHORISING};
use crate::auth::{token_hash, CurrentUser, SESSION_COOKIE};
use crate::authorise::{random_token, Authorisation, PER_COMPANY};
use crate::engine::oauth::{endpoint, pkce_challenge};
use crate::engine::{CodeGrant, EngineError, OAuthTokens, TestInput, TestRun};
use crate::error::{ApiJson, ApiPath, ApiResult, AppError};
use crate::store::SessionUser;
use crate::AppState;

pub const CALLBACK_PATH: &str = "/api/oauth/callback";

/// The address providers send people back to, to be registered with them.
pub fn callback_url(config: &crate::config::Config) -> String {
    format!("{}{CALLBACK_PATH}", config.public_origin())
}

pub const NOT_AUTHORISATION_CODE: &str =
    "This authentication method does not sign in through the provider: test the connection instead.";
pub const DENIED: &str = "You denied access at the provider. Nothing was saved.";
pub const UNKNOWN_STATE: &str = "This link back from the provider is not valid, or was already used. Nothing \
     changed. Start authorising again from the instance's settings page.";
pub const OTHER_BROWSER: &str = "Finish authorising in the browser where you started it, signed in as the same \
     user. Nothing changed.";
pub const AUTHORISED: &str =
    "The provider authorised conduit and the connection works. Save the instance's settings to keep it.";
pub const RECONNECT: &str = "The provider no longer accepts the saved authorisation. Reconnect the instance: \
     authorise with the provider again, then save.";

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
async fn start(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<AuthoriseRequest>,
) -> ApiResult<Json<AuthoriseStart>> {
    let draft = &request.draft;
    let accepted = accept(&state, &user, id, request.base_version, draft).await?;
    let stored = &accepted.stored;
    let saved = &stored.settings;
    let method = method(saved, draft)?;
    if !method.kind.needs_user_step() {
        return Err(AppError::Refused(NOT_AUTHORISATION_CODE.to_owned()));
    }
    let fields = connection_fields(stored, method, draft);
    let variables = &draft.details.variables;
    let field = |key: &str| fields.0.get(key).map(String::as_str).filter(|v| !v.trim().is_empty());
    let authorize_url = endpoint(method.settings.authorize_url.as_deref(), field("authorize_url"), variables)
        .ok_or_else(|| refused("authorize_url", "Enter the authorisation URL as a full http or https address."))?;
    endpoint(method.settings.token_url.as_deref(), field("token_url"), variables)
        .ok_or_else(|| refused("token_url", "Enter the token URL as a full http or https address."))?;
    let client_id = field("client_id").ok_or_else(|| refused("client_id", "Enter the client id."))?.trim().to_owned();
    let separator = method.settings.scope_separator.as_deref().unwrap_or(" ");
    let scope = field("scope")
        .or_else(|| field("scopes"))
        .map(|s| {
            s.split(|c: char| c.is_whitespace() || separator.contains(c))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(separator)
        })
        .unwrap_or_default();

    let code_verifier = random_token();
    let redirect_uri = callback_url(&state.config);
    let authorisation = Authorisation {
        company_id: user.company_id,
        user_id: user.user_id,
        instance_id: id,
        base_version: request.base_version,
        mode: request.mode,
        draft: draft.clone(),
        input: TestInput {
            definition: saved.connector.definition.clone(),
            variables: variables.clone(),
            auth_method: method.key.clone(),
            fields,
            // The draft's certificates take part in the test after consent.
            tls: accepted.tls(draft),
            oauth_tokens: None,
        },
        code_verifier: code_verifier.clone(),
        redirect_uri: redirect_uri.clone(),
        created_at: state.clock.now(),
    };
    let (authorisation, oauth_state) = state.authorisations.start(authorisation).ok_or_else(|| {
        AppError::TooManyRequests(format!(
            "Your company has {PER_COMPANY} authorisations in progress. Finish or cancel one, or wait 15 minutes, \
             then try again."
        ))
    })?;
    let mut url = authorize_url;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &client_id)
            .append_pair("redirect_uri", &redirect_uri);
        if !scope.is_empty() {
            query.append_pair("scope", &scope);
        }
        query
            .append_pair("state", &oauth_state)
            .append_pair("code_challenge", &pkce_challenge(&code_verifier))
            .append_pair("code_challenge_method", "S256");
    }
    tracing::info!(instance_id = id, user_id = user.user_id, mode = ?request.mode, "started authorising");
    Ok(Json(AuthoriseStart { authorisation, url: url.into() }))
}

fn refused(field: &str, message: &str) -> AppError {
    AppError::Validation(vec![conduit_types::FieldError {
        field: draft::auth_field(field),
        message: message.to_owned(),
    }])
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

/// `GET /api/oauth/callback`: where the provider sends the user back. The
/// authorisation is found by `state` (once), and only the browser of the
/// user who started it may complete it.
async fn callback(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let param = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let Some(oauth_state) = param("state").filter(|s| !s.is_empty()) else {
        return page(StatusCode::BAD_REQUEST, UNKNOWN_STATE, false);
    };
    let Some(owner) = state.authorisations.owner(oauth_state) else {
        return page(StatusCode::BAD_REQUEST, UNKNOWN_STATE, false);
    };
    match signed_in(&state, &headers).await {
        Ok(Some(user)) if user.user_id == owner => {}
        Ok(_) => return page(StatusCode::FORBIDDEN, OTHER_BROWSER, false),
        Err(e) => return e.into_response(),
    }
    let Some(job) = state.authorisations.take(oauth_state) else {
        return page(StatusCode::BAD_REQUEST, UNKNOWN_STATE, false);
    };

    let outcome = match (param("error"), param("code")) {
        (Some(error), _) => Err(provider_error(error)),
        (None, Some(code)) if !code.is_empty() => {
            let grant = CodeGrant {
                code: code.to_owned(),
                redirect_uri: job.redirect_uri.clone(),
                code_verifier: job.code_verifier.clone(),
            };
            match state.engine.test_code(job.company_id, &job.input, &grant).await {
                Ok(run) => {
                    if let Err(e) = state.store.record_test(job.company_id, job.instance_id, job.user_id, &run.result).await {
                        tracing::error!(error = %format!("{e:#}"), "could not record an authorisation's test");
                    }
                    tokens_of(run)
                }
                Err(e @ EngineError::Busy) => Err(format!("{e} Nothing was saved.")),
            }
        }
        _ => Err("The provider sent no authorisation code. Nothing was saved. Authorise again.".to_owned()),
    };
    tracing::info!(instance_id = job.instance_id, user_id = job.user_id, authorised = outcome.is_ok(), "authorisation callback");
    let message = match &outcome {
        Ok(_) => AUTHORISED.to_owned(),
        Err(message) => message.clone(),
    };
    state.authorisations.finish(&job.id, outcome);
    match job.mode {
        AuthoriseMode::Popup => page(StatusCode::OK, &message, true),
        AuthoriseMode::Redirect => {
            let to = format!("/instances/{}/settings/authentication?authorisation={}", job.instance_id, job.id);
            Redirect::to(&to).into_response()
        }
    }
}

/// The tokens of a passing test with new tokens, or the test's sentence.
fn tokens_of(run: TestRun) -> Result<OAuthTokens, String> {
    match (run.result.outcome, run.refreshed_tokens) {
        (TestOutcome::Ok, Some(tokens)) => Ok(tokens),
        _ => Err(format!("{} Nothing was saved.", run.result.message)),
    }
}

/// The provider's `error` answer in words; only the codes RFC 6749 defines
/// are repeated.
fn provider_error(code: &str) -> String {
    const KNOWN: [&str; 6] = [
        "invalid_request",
        "unauthorized_client",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
    ];
    if code == "access_denied" {
        DENIED.to_owned()
    } else if let Some(code) = KNOWN.into_iter().find(|k| *k == code) {
        format!("The provider did not authorise the connection ({code}). Nothing was saved.")
    } else {
        "The provider did not authorise the connection. Nothing was saved.".to_owned()
    }
}

/// The user the request's session cookie belongs to, if any.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> ApiResult<Option<SessionUser>> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(state.store.session_user(&token_hash(cookie.value())).await?)
}

/// A small page saying the outcome in words; in a popup it closes itself.
fn page(status: StatusCode, message: &str, close: bool) -> Response {
    let script = if close { r#"<script src="/api/oauth/close.js"></script>"# } else { "" };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>conduit: authorising</title></head>\
         <body><main><h1>Authorising with the provider</h1><p>{}</p></main>{script}</body></html>",
        escape(message)
    );
    (status, Html(body)).into_response()
}

// -- saved tokens in connection tests -------------------------------------------------

/// The saved tokens a test of `draft` uses, with when they were authorised:
/// only for a draft that keeps the saved connection. Without them such a
/// method cannot be tested.
pub async fn saved_tokens(
    state: &AppState,
    user: &SessionUser,
    saved: &InstanceSettings,
    draft: &InstanceDraft,
) -> ApiResult<(OAuthTokens, Timestamp)> {
    if draft::changes_connection(saved, draft) {
        return Err(AppError::Refused(NEEDS_AUTHORISING.to_owned()));
    }
    state
        .store
        .oauth_tokens(user.company_id, saved.id)
        .await?
        .ok_or_else(|| AppError::Refused(NEEDS_AUTHORISING.to_owned()))
}

/// After a test with saved tokens: keeps renewed tokens, and answers
/// whether the instance needs reconnecting (the provider refused the tokens
/// or their renewal), saying so in the result.
pub async fn after_test(
    state: &AppState,
    user: &SessionUser,
    id: Id,
    authorised_at: Timestamp,
    run: &mut TestRun,
) -> ApiResult<bool> {
    if let Some(tokens) = &run.refreshed_tokens {
        state.store.renew_oauth_tokens(user.company_id, id, authorised_at, tokens).await?;
    }
    let result: &mut TestResult = &mut run.result;
    if result.outcome != TestOutcome::AuthRejected {
        return Ok(false);
    }
    result.message = format!("{} {RECONNECT}", result.message);
    Ok(true)
}
