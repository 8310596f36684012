//! The demo's sandbox: a clearly labelled stand-in third-party API, served
//! under `/sandbox` in demo mode only, that speaks each authentication type.
//! Demo instances point at it, so a person on an offline machine can see
//! connection tests pass (with the credentials below) and fail (with others).
//!
//! These credentials are published demo values, not anyone's secrets.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, OriginalUri, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;

use crate::authorise::random_token;
use crate::engine::oauth::{oauth1_signature_valid, parse_oauth1_header, pkce_challenge};
use crate::routes::escape;
use crate::clock::Clock;

pub const BASIC_USER: &str = "sandbox";
pub const BASIC_PASSWORD: &str = "sandbox-password";
pub const BEARER_TOKEN: &str = "sandbox-token";
pub const API_KEY: &str = "sandbox-key";
pub const CLIENT_ID: &str = "sandbox-client";
pub const CLIENT_SECRET: &str = "sandbox-secret";
pub const REFRESH_TOKEN: &str = "sandbox-refresh";
pub const CONSUMER_KEY: &str = "sandbox-consumer";
pub const CONSUMER_SECRET: &str = "sandbox-consumer-secret";
pub const TOKEN_ID: &str = "sandbox-token-id";
pub const TOKEN_SECRET: &str = "sandbox-token-secret";
const ACCESS_TOKEN: &str = "sandbox-access";
/// How long an authorisation code lasts.
pub const CODE_SECONDS: i64 = 60;
/// How long an access token from the authorisation-code grant lasts.
pub const ACCESS_SECONDS: i64 = 300;

/// What the sandbox's OAuth 2 provider remembers: codes not yet used,
/// access tokens and refresh tokens it issued (a used refresh token is
/// revoked: each refresh rotates it).
#[derive(Default)]
struct Provider {
    codes: HashMap<String, Grant>,
    access: HashMap<String, i64>,
    refresh: HashMap<String, ()>,
}

struct Grant {
    redirect_uri: String,
    challenge: String,
    expires_at: i64,
    /// The scopes the user allowed: the token answer says them.
    scope: String,
}

type Shared = Arc<Mutex<Provider>>;

/// The sandbox stands for another company's server, so it keeps its own time.
fn now() -> conduit_types::Timestamp {
    Clock::system().now()
}

fn provider(shared: &Shared) -> std::sync::MutexGuard<'_, Provider> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// The sandbox's routes, to be nested under `/sandbox`.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/basic/me", get(basic))
        .route("/bearer/me", get(bearer))
        .route("/query/me", get(query))
        .route("/oauth/authorize", get(consent).post(decide))
        .route("/oauth/token", post(token))
        .route("/oauth/me", get(oauth_me))
        .route("/oauth1/me", get(oauth1))
        .route("/slow/me", get(slow))
        .with_state(Shared::default())
        .layer(middleware::from_fn(label))
}

/// Every sandbox answer says what it is.
async fn label(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("x-conduit-sandbox", HeaderValue::from_static("demo sandbox, not a real system"));
    response
}

fn answer(ok: bool) -> Response {
    if ok {
        Json(serde_json::json!({"sandbox": true, "account": "Northwind demo"})).into_response()
    } else {
        (StatusCode::UNAUTHORIZED, Json(serde_json::json!({"error": "not_authorised"}))).into_response()
    }
}

fn authorization(headers: &HeaderMap) -> &str {
    headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

fn basic_pair(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

async fn basic(headers: HeaderMap) -> Response {
    answer(authorization(&headers) == basic_pair(BASIC_USER, BASIC_PASSWORD))
}

async fn bearer(headers: HeaderMap) -> Response {
    answer(authorization(&headers) == format!("Bearer {BEARER_TOKEN}"))
}

async fn query(Query(params): Query<BTreeMap<String, String>>) -> Response {
    answer(params.get("api_key").map(String::as_str) == Some(API_KEY))
}

async fn oauth_me(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let presented = authorization(&headers).strip_prefix("Bearer ").unwrap_or_default().to_owned();
    let issued = provider(&shared).access.get(&presented).is_some_and(|until| *until > now());
    answer(presented == ACCESS_TOKEN || issued)
}

/// What the consent page and its form carry.
#[derive(serde::Deserialize)]
struct ConsentRequest {
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    /// The form's button: `allow` or `deny`.
    #[serde(default)]
    decision: String,
}

impl ConsentRequest {
    /// Why the request cannot be shown or answered, in words.
    fn problem(&self) -> Option<&'static str> {
        if self.client_id != CLIENT_ID {
            Some("The sandbox does not know this client id.")
        } else if !url::Url::parse(&self.redirect_uri).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            Some("The request has no valid redirect_uri.")
        } else if self.response_type != "code" {
            Some("The sandbox only answers response_type=code.")
        } else if self.code_challenge.is_empty() || self.code_challenge_method != "S256" {
            Some("The sandbox needs a PKCE code challenge (S256).")
        } else {
            None
        }
    }
}

fn html_page(status: StatusCode, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sandbox provider (demo)</title></head>\
         <body><p><strong>Demo sandbox, not a real system.</strong></p>{body}</body></html>"
    );
    (status, Html(page)).into_response()
}

/// The provider's consent page: names the client and the scopes asked for,
/// with a form to allow or deny.
async fn consent(Query(request): Query<ConsentRequest>) -> Response {
    if let Some(problem) = request.problem() {
        return html_page(StatusCode::BAD_REQUEST, &format!("<p>{}</p>", escape(problem)));
    }
    let hidden = [
        ("response_type", &request.response_type),
        ("client_id", &request.client_id),
        ("redirect_uri", &request.redirect_uri),
        ("scope", &request.scope),
        ("state", &request.state),
        ("code_challenge", &request.code_challenge),
        ("code_challenge_method", &request.code_challenge_method),
    ]
    .iter()
    .map(|(name, value)| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape(value)))
    .collect::<String>();
    let scopes = if request.scope.is_empty() { "no particular scope".to_owned() } else { request.scope.clone() };
    let mut page = html_page(
        StatusCode::OK,
        &format!(
            "<h1>Allow access?</h1><p>The application <strong>{}</strong> asks for access to the Northwind demo \
             account with these scopes: <strong>{}</strong>.</p>\
             <form method=\"post\" action=\"authorize\">{hidden}\
             <button type=\"submit\" name=\"decision\" value=\"allow\">allow</button> \
             <button type=\"submit\" name=\"decision\" value=\"deny\">deny</button></form>",
            escape(&request.client_id),
            escape(&scopes),
        ),
    );
    // A provider's own policy: its form answers by sending the browser on to
    // the client's redirect URI, which form-action must allow.
    if let Some(policy) = consent_policy(&request.redirect_uri) {
        page.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    page
}

/// The consent page's content security policy: nothing but its own form,
/// which may post here and lead on to `redirect_uri`'s origin.
fn consent_policy(redirect_uri: &str) -> Option<HeaderValue> {
    let origin = url::Url::parse(redirect_uri).ok()?.origin();
    if !origin.is_tuple() {
        return None;
    }
    let policy = format!(
        "default-src 'none'; form-action 'self' {}; frame-ancestors 'none'; base-uri 'none'",
        origin.ascii_serialization()
    );
    HeaderValue::try_from(policy).ok()
}

/// The consent form's answer: back to the client with a code, or with
/// `error=access_denied`.
async fn decide(State(shared): State<Shared>, Form(request): Form<ConsentRequest>) -> Response {
    if let Some(problem) = request.problem() {
        return html_page(StatusCode::BAD_REQUEST, &format!("<p>{}</p>", escape(problem)));
    }
    let Ok(mut back) = url::Url::parse(&request.redirect_uri) else {
        return html_page(StatusCode::BAD_REQUEST, "<p>The request has no valid redirect_uri.</p>");
    };
    if request.decision == "allow" {
        let code = random_token();
        let grant = Grant {
            redirect_uri: request.redirect_uri.clone(),
            challenge: request.code_challenge.clone(),
            expires_at: now() + CODE_SECONDS,
            scope: request.scope.clone(),
        };
        provider(&shared).codes.insert(code.clone(), grant);
        back.query_pairs_mut().append_pair("code", &code);
    } else {
        back.query_pairs_mut().append_pair("error", "access_denied");
    }
    back.query_pairs_mut().append_pair("state", &request.state);
    Redirect::to(back.as_str()).into_response()
}

fn token_error(status: StatusCode, error: &str) -> Response {
    (status, Json(serde_json::json!({"error": error}))).into_response()
}

/// New tokens from the authorisation-code grant (saying the scopes
/// granted, as RFC 6749 5.1 lets a provider) or a refresh of them.
fn issue(shared: &Shared, scope: Option<&str>) -> Response {
    let (access, refresh) = (format!("sandbox-access-{}", random_token()), format!("sandbox-refresh-{}", random_token()));
    let mut provider = provider(shared);
    provider.access.insert(access.clone(), now() + ACCESS_SECONDS);
    provider.refresh.insert(refresh.clone(), ());
    let mut answer = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ACCESS_SECONDS,
        "refresh_token": refresh,
    });
    if let Some(scope) = scope.filter(|s| !s.is_empty()) {
        answer["scope"] = scope.into();
    }
    Json(answer).into_response()
}

/// An OAuth 2 token endpoint: client credentials, authorisation codes
/// (single use, checked against the redirect URI and the PKCE verifier) and
/// refresh (rotating), with the client authenticated by a basic header or
/// in the body.
async fn token(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).map(String::as_str);
    let client_ok = authorization(&headers) == basic_pair(CLIENT_ID, CLIENT_SECRET)
        || (field("client_id") == Some(CLIENT_ID) && field("client_secret") == Some(CLIENT_SECRET));
    if !client_ok {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let grant_ok = match field("grant_type") {
        Some("client_credentials") => true,
        Some("authorization_code") => {
            let grant = provider(&shared).codes.remove(field("code").unwrap_or_default());
            let grant = grant.filter(|g| {
                g.expires_at > now()
                    && Some(g.redirect_uri.as_str()) == field("redirect_uri")
                    && field("code_verifier").is_some_and(|v| pkce_challenge(v) == g.challenge)
            });
            let Some(grant) = grant else {
                return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
            };
            return issue(&shared, Some(&grant.scope));
        }
        Some("refresh_token") if field("refresh_token") == Some(REFRESH_TOKEN) => true,
        Some("refresh_token") => {
            let known = provider(&shared).refresh.remove(field("refresh_token").unwrap_or_default()).is_some();
            if !known {
                return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
            }
            return issue(&shared, None);
        }
        _ => false,
    };
    if !grant_ok {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    Json(serde_json::json!({
        "access_token": ACCESS_TOKEN,
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": REFRESH_TOKEN,
    }))
    .into_response()
}

/// Checks an OAuth 1 signature as a provider does: recomputed over the
/// request with its own copy of the secrets.
async fn oauth1(headers: HeaderMap, OriginalUri(request_uri): OriginalUri) -> Response {
    let Some(params) = parse_oauth1_header(authorization(&headers)) else {
        return answer(false);
    };
    if params.get("oauth_consumer_key").map(String::as_str) != Some(CONSUMER_KEY)
        || params.get("oauth_token").map(String::as_str) != Some(TOKEN_ID)
    {
        return answer(false);
    }
    // The signature covers the URL the client used; the Host header says which.
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default();
    let Ok(url) = url::Url::parse(&format!("http://{host}{request_uri}")) else {
        return answer(false);
    };
    answer(oauth1_signature_valid(&params, "GET", &url, CONSUMER_SECRET, TOKEN_SECRET))
}

/// Answers after 30 seconds, to show what a timeout looks like.
async fn slow() -> Response {
    tokio::time::sleep(Duration::from_secs(30)).await;
    answer(true)
}
