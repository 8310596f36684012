//! The demo's sandbox: a clearly labelled stand-in third-party API, served
//! under `/sandbox` in demo mode only, that speaks each authentication type.
//! Demo instances point at it, so a person on an offline machine can see
//! connection tests pass (with the credentials below) and fail (with others).
//!
//! These credentials are published demo values, not anyone's secrets.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Form, OriginalUri, Query, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;

use crate::engine::oauth::{oauth1_signature, parse_oauth1_header, signature_method, OAuth1Credentials};

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

/// The sandbox's routes, to be nested under `/sandbox`.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/basic/me", get(basic))
        .route("/bearer/me", get(bearer))
        .route("/query/me", get(query))
        .route("/oauth/token", post(token))
        .route("/oauth/me", get(oauth_me))
        .route("/oauth1/me", get(oauth1))
        .route("/slow/me", get(slow))
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

async fn oauth_me(headers: HeaderMap) -> Response {
    answer(authorization(&headers) == format!("Bearer {ACCESS_TOKEN}"))
}

/// An OAuth 2 token endpoint: client credentials and refresh, with the client
/// authenticated by a basic header or in the body.
async fn token(headers: HeaderMap, Form(form): Form<BTreeMap<String, String>>) -> Response {
    let field = |k: &str| form.get(k).map(String::as_str);
    let client_ok = authorization(&headers) == basic_pair(CLIENT_ID, CLIENT_SECRET)
        || (field("client_id") == Some(CLIENT_ID) && field("client_secret") == Some(CLIENT_SECRET));
    if !client_ok {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({"error": "invalid_client"}))).into_response();
    }
    let grant_ok = match field("grant_type") {
        Some("client_credentials") => true,
        Some("refresh_token") => field("refresh_token") == Some(REFRESH_TOKEN),
        _ => false,
    };
    if !grant_ok {
        return (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_grant"}))).into_response();
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
    let Some(method) = params.get("oauth_signature_method").and_then(|m| signature_method(m)) else {
        return answer(false);
    };
    if params.get("oauth_consumer_key").map(String::as_str) != Some(CONSUMER_KEY)
        || params.get("oauth_token").map(String::as_str) != Some(TOKEN_ID)
    {
        return answer(false);
    }
    let credentials = OAuth1Credentials {
        realm: None,
        consumer_key: CONSUMER_KEY,
        consumer_secret: CONSUMER_SECRET,
        token: TOKEN_ID,
        token_secret: TOKEN_SECRET,
        method,
    };
    let signed: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k.starts_with("oauth_") && *k != "oauth_signature")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // The signature covers the URL the client used; the Host header says which.
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default();
    let Ok(url) = url::Url::parse(&format!("http://{host}{request_uri}")) else {
        return answer(false);
    };
    let expected = oauth1_signature(&credentials, "GET", &url, &signed);
    answer(params.get("oauth_signature") == Some(&expected))
}

/// Answers after 30 seconds, to show what a timeout looks like.
async fn slow() -> Response {
    tokio::time::sleep(Duration::from_secs(30)).await;
    answer(true)
}
