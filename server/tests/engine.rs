//! The connection test engine against small local servers on 127.0.0.1 that
//! speak each authentication type, reached through the test allowlist.

#[path = "common/test_input.rs"]
mod test_input;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use conduit_server::egress::EgressPolicy;
use conduit_server::engine::{Engine, EngineConfig, OAuthTokens, TestInput, TlsMaterial};
use conduit_types::{
    AuthKind, AuthMethodDef, ClientAuthStyle, FieldDef, Placement, SignatureMethod, TestOutcome, TestResult,
    TestStepKind,
};
use test_input::{bearer_field, field, method, test_input};
use tokio::net::TcpListener;

// -- the local third-party system ---------------------------------------------

#[derive(Clone, Default)]
struct Seen {
    requests: Arc<AtomicUsize>,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")
}

async fn basic_me(headers: HeaderMap) -> StatusCode {
    // base64("ada:s3cret")
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some("Basic YWRhOnMzY3JldA==") => StatusCode::OK,
        _ => StatusCode::UNAUTHORIZED,
    }
}

async fn header_me(headers: HeaderMap) -> StatusCode {
    match (headers.get("x-api-key"), headers.get("x-account")) {
        (Some(k), Some(a)) if k == "key-123" && a == "acme" => StatusCode::OK,
        _ => StatusCode::FORBIDDEN,
    }
}

async fn bearer_me(headers: HeaderMap) -> StatusCode {
    if bearer(&headers) == Some("tok-abc") { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
}

async fn query_me(Query(q): Query<BTreeMap<String, String>>) -> StatusCode {
    if q.get("api_key").map(String::as_str) == Some("qk-1") && q.get("limit").map(String::as_str) == Some("1") {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    }
}

/// An OAuth 2 token endpoint: client credentials (basic header or body) and refresh.
async fn token(headers: HeaderMap, Form(form): Form<BTreeMap<String, String>>) -> Response {
    let from_header = headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Basic Y2xpZW50LTE6Y2xpZW50LXNlY3JldA==");
    let from_body = form.get("client_id").map(String::as_str) == Some("client-1")
        && form.get("client_secret").map(String::as_str) == Some("client-secret");
    if !(from_header || from_body) {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({"error": "invalid_client", "error_description": "client-secret was wrong"}))).into_response();
    }
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") if form.get("scope").map(String::as_str) == Some("read") => {
            Json(serde_json::json!({"access_token": "cc-token", "token_type": "Bearer", "expires_in": 3600})).into_response()
        }
        Some("client_credentials") => {
            (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_scope"}))).into_response()
        }
        Some("refresh_token") if form.get("refresh_token").map(String::as_str) == Some("refresh-1") => Json(
            serde_json::json!({"access_token": "fresh-token", "refresh_token": "refresh-2", "expires_in": 600}),
        )
        .into_response(),
        _ => (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_grant"}))).into_response(),
    }
}

async fn cc_me(headers: HeaderMap) -> StatusCode {
    if bearer(&headers) == Some("cc-token") { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
}

async fn code_me(headers: HeaderMap) -> StatusCode {
    match bearer(&headers) {
        Some("fresh-token") | Some("still-valid") => StatusCode::OK,
        _ => StatusCode::UNAUTHORIZED,
    }
}

/// Checks an OAuth 1 signature the way a provider does: recomputes it over
/// the request with its own copy of the secrets.
async fn oauth1_me(headers: HeaderMap, uri: axum::http::Uri, State(port): State<u16>) -> StatusCode {
    use conduit_server::engine::oauth::{oauth1_signature_valid, parse_oauth1_header};
    let Some(params) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(parse_oauth1_header) else {
        return StatusCode::UNAUTHORIZED;
    };
    if params.get("realm").map(String::as_str) != Some("ACME_SB1") || params.get("oauth_token").map(String::as_str) != Some("token-id") {
        return StatusCode::UNAUTHORIZED;
    }
    let url = url::Url::parse(&format!("http://127.0.0.1:{port}{uri}")).unwrap();
    if oauth1_signature_valid(&params, "GET", &url, "consumer-secret", "token-secret") { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
}

/// A token endpoint that takes the client's credentials only one way, as
/// many providers do: in the form body (`client_secret_post`) or in a basic
/// header (`client_secret_basic`). The other way is refused as invalid_client.
async fn strict_token(headers: HeaderMap, Form(form): Form<BTreeMap<String, String>>, style: ClientAuthStyle) -> Response {
    let header = headers.get("authorization").and_then(|v| v.to_str().ok());
    let in_body = form.get("client_id").map(String::as_str) == Some("client-1")
        && form.get("client_secret").map(String::as_str) == Some("client-secret");
    let accepted = match style {
        ClientAuthStyle::RequestBody => header.is_none() && in_body,
        // base64("client-1:client-secret")
        ClientAuthStyle::BasicHeader => {
            header == Some("Basic Y2xpZW50LTE6Y2xpZW50LXNlY3JldA==") && !form.contains_key("client_secret")
        }
    };
    if !accepted {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({"error": "invalid_client"}))).into_response();
    }
    match (form.get("grant_type").map(String::as_str), form.get("refresh_token"), form.get("code")) {
        (Some("client_credentials"), _, _) => Json(serde_json::json!({"access_token": "cc-token", "expires_in": 3600})).into_response(),
        (Some("refresh_token"), Some(r), _) if r == "refresh-1" => {
            Json(serde_json::json!({"access_token": "fresh-token", "expires_in": 600})).into_response()
        }
        (Some("authorization_code"), _, Some(c)) if c == "code-1" => {
            Json(serde_json::json!({"access_token": "fresh-token", "refresh_token": "refresh-9"})).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_grant"}))).into_response(),
    }
}

/// RFC 3986 percent-encoding as RFC 5849 3.6 asks, written out again here
/// so the check below shares no code with the engine's signer.
fn pct(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn unpct(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Ok(b) = u8::from_str_radix(&value[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// An OAuth 1 provider that accepts only `method` and checks the signature
/// independently of the engine: its own reading of the header and signature
/// base string (RFC 5849 3.4.1), and the HMAC from the `openssl` command.
async fn strict_oauth1(headers: HeaderMap, uri: axum::http::Uri, port: u16, method: &'static str) -> StatusCode {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("OAuth ")) else {
        return StatusCode::UNAUTHORIZED;
    };
    let header: BTreeMap<String, String> = value
        .split(", ")
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), unpct(v.trim_matches('"'))))
        .collect();
    if header.get("oauth_signature_method").map(String::as_str) != Some(method)
        || header.get("oauth_consumer_key").map(String::as_str) != Some("consumer-key")
        || header.get("oauth_token").map(String::as_str) != Some("token-id")
    {
        return StatusCode::UNAUTHORIZED;
    }
    let mut params: Vec<(String, String)> = header
        .iter()
        .filter(|(k, _)| k.starts_with("oauth_") && *k != "oauth_signature")
        .map(|(k, v)| (pct(k), pct(v)))
        .collect();
    for pair in uri.query().unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.push((pct(&unpct(k)), pct(&unpct(v))));
    }
    params.sort();
    let normalised: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let base = format!("GET&{}&{}", pct(&format!("http://127.0.0.1:{port}{}", uri.path())), pct(&normalised.join("&")));
    let digest = if method == "HMAC-SHA1" { "-sha1" } else { "-sha256" };
    let mut openssl = std::process::Command::new("openssl")
        .args(["dgst", digest, "-hmac", "consumer-secret&token-secret", "-binary"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the openssl command runs");
    use std::io::Write;
    openssl.stdin.take().unwrap().write_all(base.as_bytes()).unwrap();
    let mac = openssl.wait_with_output().unwrap().stdout;
    use base64::Engine as _;
    let expected = base64::engine::general_purpose::STANDARD.encode(mac);
    if header.get("oauth_signature") == Some(&expected) { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
}

async fn slow() -> StatusCode {
    tokio::time::sleep(Duration::from_secs(30)).await;
    StatusCode::OK
}

/// A local third-party system on a free loopback port. Stops when dropped.
struct Provider {
    port: u16,
    seen: Seen,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn provider() -> Provider {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Seen::default();
    let counter = seen.requests.clone();
    let app = Router::new()
        .route("/basic/me", get(basic_me))
        .route("/header/me", get(header_me))
        .route("/bearer/me", get(bearer_me))
        .route("/query/me", get(query_me))
        .route("/oauth/token", post(token))
        .route("/cc/me", get(cc_me))
        .route("/code/me", get(code_me))
        .route("/oauth1/me", get(oauth1_me))
        .route("/oauth1/sha1/me", get(move |h: HeaderMap, uri: axum::http::Uri| strict_oauth1(h, uri, port, "HMAC-SHA1")))
        .route("/oauth1/sha256/me", get(move |h: HeaderMap, uri: axum::http::Uri| strict_oauth1(h, uri, port, "HMAC-SHA256")))
        .route("/oauth/token-body", post(|h: HeaderMap, f: Form<BTreeMap<String, String>>| strict_token(h, f, ClientAuthStyle::RequestBody)))
        .route("/oauth/token-basic", post(|h: HeaderMap, f: Form<BTreeMap<String, String>>| strict_token(h, f, ClientAuthStyle::BasicHeader)))
        .route("/slow", get(slow))
        .route("/redirect", get(|| async { Redirect::temporary("http://169.254.169.254/latest/meta-data/") }))
        .route("/teapot", get(|| async { (StatusCode::IM_A_TEAPOT, "secret internals: db password is hunter2") }))
        .layer(axum::middleware::from_fn(move |req, next: axum::middleware::Next| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                next.run(req).await
            }
        }))
        .with_state(port);
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Provider { port, seen, task }
}

// -- building inputs -------------------------------------------------------------

fn input(port: u16, path: &str, method: AuthMethodDef, values: &[(&str, &str)]) -> TestInput {
    test_input("http://127.0.0.1:{{port}}", &[("port", &port.to_string())], path, method, values, TlsMaterial::default())
}

fn loopback_engine(config: EngineConfig) -> Engine {
    let policy = EgressPolicy::new(vec!["127.0.0.1/32".parse().unwrap()]);
    Engine::with_roots(policy, config, Arc::new(rustls::RootCertStore::empty()))
}

async fn run(engine: &Engine, input: &TestInput) -> TestResult {
    engine.test(1, input).await.unwrap().result
}

fn step_kinds(result: &TestResult) -> Vec<(TestStepKind, bool)> {
    result.steps.iter().map(|s| (s.kind, s.ok)).collect()
}

fn assert_no_secret(result: &TestResult, secrets: &[&str]) {
    let json = serde_json::to_string(result).unwrap();
    for secret in secrets {
        assert!(!json.contains(secret), "{secret} leaked into {json}");
    }
    assert!(!json.contains("hunter2"), "a third party's body leaked into {json}");
}

// -- the tests ---------------------------------------------------------------------

#[tokio::test]
async fn basic_authentication_passes_with_the_right_password_and_is_refused_with_a_wrong_one() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let basic = || method(AuthKind::Basic, vec![field("username", false, Placement::Auth), field("password", true, Placement::Auth)]);

    let ok = run(&engine, &input(p.port, "/basic/me", basic(), &[("username", "ada"), ("password", "s3cret")])).await;
    assert_eq!(ok.outcome, TestOutcome::Ok, "{}", ok.message);
    assert_eq!(ok.http_status, Some(200));
    assert_eq!(
        step_kinds(&ok),
        [(TestStepKind::Resolve, true), (TestStepKind::Connect, true), (TestStepKind::TestRequest, true)]
    );
    assert_eq!(ok.steps[2].http_status, Some(200));

    let wrong = run(&engine, &input(p.port, "/basic/me", basic(), &[("username", "ada"), ("password", "wrong-pass")])).await;
    assert_eq!(wrong.outcome, TestOutcome::AuthRejected);
    assert_eq!(wrong.http_status, Some(401));
    assert!(wrong.message.contains("refused the credentials (HTTP 401)"), "{}", wrong.message);
    assert_no_secret(&wrong, &["wrong-pass", "s3cret"]);
}

#[tokio::test]
async fn token_in_headers_bearer_and_query_string() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let header = || method(AuthKind::Token, vec![
        field("account", false, Placement::Header { name: "X-Account".into(), prefix: None }),
        field("key", true, Placement::Header { name: "X-Api-Key".into(), prefix: None }),
    ]);
    let ok = run(&engine, &input(p.port, "/header/me", header(), &[("account", "acme"), ("key", "key-123")])).await;
    assert_eq!(ok.outcome, TestOutcome::Ok, "{}", ok.message);
    let bad = run(&engine, &input(p.port, "/header/me", header(), &[("account", "acme"), ("key", "key-999")])).await;
    assert_eq!((bad.outcome, bad.http_status), (TestOutcome::AuthRejected, Some(403)));

    let bearer = || method(AuthKind::Token, vec![bearer_field()]);
    assert_eq!(run(&engine, &input(p.port, "/bearer/me", bearer(), &[("token", "tok-abc")])).await.outcome, TestOutcome::Ok);
    assert_eq!(run(&engine, &input(p.port, "/bearer/me", bearer(), &[("token", "tok-zzz")])).await.outcome, TestOutcome::AuthRejected);

    let query = || method(AuthKind::Token, vec![field("api_key", true, Placement::Query { name: "api_key".into() })]);
    let ok = run(&engine, &input(p.port, "/query/me?limit=1", query(), &[("api_key", "qk-1")])).await;
    assert_eq!(ok.outcome, TestOutcome::Ok, "{}", ok.message);
    let bad = run(&engine, &input(p.port, "/query/me?limit=1", query(), &[("api_key", "qk-wrong")])).await;
    assert_eq!(bad.outcome, TestOutcome::AuthRejected);
    assert_no_secret(&bad, &["qk-wrong"]);
}

fn client_credentials(style: ClientAuthStyle) -> AuthMethodDef {
    let mut m = method(AuthKind::Oauth2ClientCredentials, vec![
        field("token_url", false, Placement::Auth),
        field("client_id", false, Placement::Auth),
        field("client_secret", true, Placement::Auth),
        FieldDef { required: false, ..field("scope", false, Placement::Auth) },
    ]);
    m.settings.client_auth = style;
    m
}

#[tokio::test]
async fn oauth2_client_credentials_in_a_basic_header_or_the_body() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let token_url = format!("http://127.0.0.1:{}/oauth/token", p.port);
    for style in [ClientAuthStyle::BasicHeader, ClientAuthStyle::RequestBody] {
        let values = [("token_url", token_url.as_str()), ("client_id", "client-1"), ("client_secret", "client-secret"), ("scope", "read")];
        let ok = run(&engine, &input(p.port, "/cc/me", client_credentials(style), &values)).await;
        assert_eq!(ok.outcome, TestOutcome::Ok, "{style:?}: {}", ok.message);
        assert_eq!(ok.steps[0].kind, TestStepKind::TokenExchange);
        assert_eq!(ok.steps[0].http_status, Some(200));
        assert_eq!(ok.steps.last().unwrap().kind, TestStepKind::TestRequest);
        assert_no_secret(&ok, &["client-secret", "cc-token"]);
    }
}

#[tokio::test]
async fn token_endpoint_errors_are_classified_without_echoing_the_body() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let token_url = format!("http://127.0.0.1:{}/oauth/token", p.port);
    let m = || client_credentials(ClientAuthStyle::BasicHeader);

    let wrong = run(&engine, &input(p.port, "/cc/me", m(), &[("token_url", &token_url), ("client_id", "client-1"), ("client_secret", "nope"), ("scope", "read")])).await;
    assert_eq!(wrong.outcome, TestOutcome::AuthRejected);
    assert_eq!(wrong.message, "The token endpoint refused the credentials (invalid_client, HTTP 401).");
    assert_eq!(step_kinds(&wrong), [(TestStepKind::TokenExchange, false)]);
    assert_no_secret(&wrong, &["nope", "client-secret"]);

    let scope = run(&engine, &input(p.port, "/cc/me", m(), &[("token_url", &token_url), ("client_id", "client-1"), ("client_secret", "client-secret"), ("scope", "admin")])).await;
    assert_eq!(scope.outcome, TestOutcome::AuthRejected);
    assert!(scope.message.contains("invalid_scope"), "{}", scope.message);

    let not_a_token = format!("http://127.0.0.1:{}/teapot", p.port);
    let odd = run(&engine, &input(p.port, "/cc/me", m(), &[("token_url", &not_a_token), ("client_id", "client-1"), ("client_secret", "client-secret")])).await;
    assert_eq!(odd.outcome, TestOutcome::UnexpectedStatus);
    assert_no_secret(&odd, &[]);

    let missing = run(&engine, &input(p.port, "/cc/me", m(), &[("token_url", "not a url"), ("client_id", "client-1"), ("client_secret", "client-secret")])).await;
    assert_eq!(missing.outcome, TestOutcome::InvalidSettings);
}

#[tokio::test]
async fn oauth1_requests_are_signed_with_sha256_or_sha1() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    for signature in [SignatureMethod::HmacSha256, SignatureMethod::HmacSha1] {
        let mut m = method(AuthKind::Oauth1, ["realm", "consumer_key", "consumer_secret", "token_id", "token_secret"]
            .into_iter()
            .map(|k| field(k, k.ends_with("secret"), Placement::Auth))
            .collect());
        m.settings.signature_method = signature;
        let values = |secret| [("realm", "ACME_SB1"), ("consumer_key", "consumer-key"), ("consumer_secret", "consumer-secret"), ("token_id", "token-id"), ("token_secret", secret)];
        let ok = run(&engine, &input(p.port, "/oauth1/me?limit=1", m.clone(), &values("token-secret"))).await;
        assert_eq!(ok.outcome, TestOutcome::Ok, "{signature:?}: {}", ok.message);
        let bad = run(&engine, &input(p.port, "/oauth1/me?limit=1", m, &values("wrong-secret"))).await;
        assert_eq!(bad.outcome, TestOutcome::AuthRejected, "{signature:?}");
        assert_no_secret(&bad, &["wrong-secret", "consumer-secret"]);
    }
}

#[tokio::test]
async fn oauth2_authorisation_code_refreshes_an_expired_token_and_hands_back_the_new_ones() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let token_url = format!("http://127.0.0.1:{}/oauth/token", p.port);
    let m = method(AuthKind::Oauth2AuthorisationCode, vec![
        field("token_url", false, Placement::Auth),
        field("client_id", false, Placement::Auth),
        field("client_secret", true, Placement::Auth),
    ]);
    let values = [("token_url", token_url.as_str()), ("client_id", "client-1"), ("client_secret", "client-secret")];

    let mut current = input(p.port, "/code/me", m.clone(), &values);
    current.oauth_tokens = Some(OAuthTokens { access_token: "still-valid".into(), refresh_token: Some("refresh-1".into()), expires_at: Some(conduit_server::clock::Clock::system().now() + 3600), scope: None });
    let run_ok = engine.test(1, &current).await.unwrap();
    assert_eq!(run_ok.result.outcome, TestOutcome::Ok, "{}", run_ok.result.message);
    assert!(run_ok.refreshed_tokens.is_none(), "a valid token is used as it is");
    assert!(run_ok.result.steps.iter().all(|s| s.kind != TestStepKind::TokenExchange));

    let mut expired = input(p.port, "/code/me", m.clone(), &values);
    expired.oauth_tokens = Some(OAuthTokens { access_token: "stale".into(), refresh_token: Some("refresh-1".into()), expires_at: Some(conduit_server::clock::Clock::system().now() - 10), scope: None });
    let refreshed = engine.test(1, &expired).await.unwrap();
    assert_eq!(refreshed.result.outcome, TestOutcome::Ok, "{}", refreshed.result.message);
    let tokens = refreshed.refreshed_tokens.expect("the new tokens are handed back to be kept");
    assert_eq!(tokens.access_token, "fresh-token");
    assert_eq!(tokens.refresh_token.as_deref(), Some("refresh-2"));
    assert!(tokens.expires_at.unwrap() > conduit_server::clock::Clock::system().now());
    assert_no_secret(&refreshed.result, &["fresh-token", "refresh-1", "refresh-2", "client-secret"]);

    let mut revoked = input(p.port, "/code/me", m, &values);
    revoked.oauth_tokens = Some(OAuthTokens { access_token: "stale".into(), refresh_token: Some("revoked".into()), expires_at: Some(0), scope: None });
    let failed = engine.test(1, &revoked).await.unwrap();
    assert_eq!(failed.result.outcome, TestOutcome::AuthRejected);
    assert!(failed.result.message.contains("invalid_grant"), "{}", failed.result.message);
    assert!(failed.refreshed_tokens.is_none());
}

#[tokio::test]
async fn a_slow_server_times_out_within_the_total_bound() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig { total_timeout: Duration::from_millis(800), ..EngineConfig::default() });
    let m = method(AuthKind::Token, vec![bearer_field()]);
    let started = std::time::Instant::now();
    let result = run(&engine, &input(p.port, "/slow", m, &[("token", "tok-abc")])).await;
    assert!(started.elapsed() < Duration::from_secs(10), "the bound held");
    assert_eq!(result.outcome, TestOutcome::Timeout);
    assert!(result.message.contains("took too long (waiting for its answer)"), "{}", result.message);
    assert_eq!(step_kinds(&result).last(), Some(&(TestStepKind::TestRequest, false)));
}

#[tokio::test]
async fn redirects_are_not_followed_and_bodies_are_never_echoed() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let m = || method(AuthKind::Token, vec![bearer_field()]);
    let result = run(&engine, &input(p.port, "/redirect", m(), &[("token", "tok-abc")])).await;
    assert_eq!((result.outcome, result.http_status), (TestOutcome::UnexpectedStatus, Some(307)));
    assert!(result.message.contains("redirect"), "{}", result.message);
    assert!(!result.message.contains("169.254"), "{}", result.message);

    let teapot = run(&engine, &input(p.port, "/teapot", m(), &[("token", "tok-abc")])).await;
    assert_eq!((teapot.outcome, teapot.http_status), (TestOutcome::UnexpectedStatus, Some(418)));
    assert_no_secret(&teapot, &["tok-abc"]);
}

#[tokio::test]
async fn without_the_allowlist_loopback_is_refused_before_any_packet() {
    let p = provider().await;
    let strict = Engine::with_roots(EgressPolicy::new(vec![]), EngineConfig::default(), Arc::new(rustls::RootCertStore::empty()));
    let m = method(AuthKind::Token, vec![bearer_field()]);
    let result = run(&strict, &input(p.port, "/bearer/me", m, &[("token", "tok-abc")])).await;
    assert_eq!(result.outcome, TestOutcome::BlockedByPolicy);
    assert_eq!(step_kinds(&result), [(TestStepKind::Resolve, false)]);
    assert_eq!(p.seen.requests.load(Ordering::SeqCst), 0, "nothing reached the server");
}

#[tokio::test]
async fn missing_values_are_invalid_settings_named_by_label() {
    let engine = loopback_engine(EngineConfig::default());
    let basic = method(AuthKind::Basic, vec![field("username", false, Placement::Auth), field("password", true, Placement::Auth)]);
    let mut no_port = input(1, "/basic/me", basic.clone(), &[("username", "ada"), ("password", "x")]);
    no_port.variables.clear();
    let result = run(&engine, &no_port).await;
    assert_eq!((result.outcome, result.message.as_str()), (TestOutcome::InvalidSettings, "Enter a value for port."));
    assert!(result.steps.is_empty(), "nothing was sent");

    let no_password = run(&engine, &input(1, "/basic/me", basic, &[("username", "ada")])).await;
    assert_eq!(no_password.message, "Enter a value for password.");
}

#[tokio::test]
async fn a_company_runs_a_bounded_number_of_tests_at_once() {
    let p = provider().await;
    let engine = Arc::new(loopback_engine(EngineConfig { per_company_tests: 1, ..EngineConfig::default() }));
    let m = method(AuthKind::Token, vec![bearer_field()]);
    let slow = input(p.port, "/slow", m.clone(), &[("token", "t")]);
    let running = {
        let engine = engine.clone();
        tokio::spawn(async move { engine.test(7, &slow).await })
    };
    // Wait (bounded) until the slow test has reached the server.
    for _ in 0..200 {
        if p.seen.requests.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let fast = input(p.port, "/bearer/me", m, &[("token", "tok-abc")]);
    let busy = engine.test(7, &fast).await;
    assert!(matches!(busy, Err(conduit_server::engine::EngineError::Busy)));
    assert_eq!(engine.test(8, &fast).await.unwrap().result.outcome, TestOutcome::Ok, "another company is not held up");

    // Dropping a running test (the browser went away) frees its slot.
    running.abort();
    let _ = running.await;
    assert_eq!(engine.test(7, &fast).await.unwrap().result.outcome, TestOutcome::Ok);
}

#[tokio::test]
async fn an_endless_answer_is_read_only_up_to_the_cap() {
    // A server that sends a 200 and then chunks without end (bounded here at 64 MiB).
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = tcp.read(&mut buf).await;
        tcp.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").await.unwrap();
        let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "x".repeat(16 * 1024));
        for _ in 0..4096 {
            if tcp.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let engine = loopback_engine(EngineConfig { total_timeout: Duration::from_secs(20), ..EngineConfig::default() });
    let m = method(AuthKind::Token, vec![bearer_field()]);
    let result = run(&engine, &input(port, "/endless", m, &[("token", "t")])).await;
    assert_eq!(result.outcome, TestOutcome::Ok, "finished on the cap, not the timeout: {}", result.message);
    server.abort();
    assert!(
        sent.load(Ordering::SeqCst) < 4096,
        "the engine stopped reading long before the server stopped sending"
    );
}

// -- what a failed test points at -------------------------------------------------

/// The generic HTTP connector's method `key`, as its JSON defines it, under
/// the key the inputs here use.
fn http_api_method(key: &str) -> AuthMethodDef {
    let definition = conduit_server::catalogue::builtin()
        .unwrap()
        .into_iter()
        .find(|c| c.slug == "http-api")
        .unwrap()
        .definition;
    AuthMethodDef { key: "m".into(), ..definition.auth_method(key).unwrap().clone() }
}

fn fixed(result: &TestResult) -> Option<(&str, &str)> {
    result.fix.as_ref().map(|f| (f.field.as_str(), f.label.as_str()))
}

#[tokio::test]
async fn refused_credentials_fail_the_test_request_step_and_name_the_field_to_fix() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let basic = http_api_method("basic");
    let wrong = run(&engine, &input(p.port, "/basic/me", basic.clone(), &[("username", "ada"), ("password", "wrong-pass")])).await;
    assert_eq!(wrong.outcome, TestOutcome::AuthRejected);
    assert_eq!(
        step_kinds(&wrong),
        [(TestStepKind::Resolve, true), (TestStepKind::Connect, true), (TestStepKind::TestRequest, false)],
        "the request got an answer, and that answer failed the test"
    );
    assert_eq!(wrong.steps[2].http_status, Some(401));
    assert_eq!(fixed(&wrong), Some(("authentication.password", "password")));
    let fix = wrong.fix.as_ref().unwrap();
    assert_eq!(fix.message, "Check the username and password: they were not accepted.");
    assert_no_secret(&wrong, &["wrong-pass"]);

    let ok = run(&engine, &input(p.port, "/basic/me", basic, &[("username", "ada"), ("password", "s3cret")])).await;
    assert_eq!(ok.outcome, TestOutcome::Ok);
    assert!(ok.steps.iter().all(|s| s.ok) && ok.fix.is_none(), "{ok:?}");

    let header = method(AuthKind::Token, vec![
        field("account", false, Placement::Header { name: "X-Account".into(), prefix: None }),
        field("key", true, Placement::Header { name: "X-Api-Key".into(), prefix: None }),
    ]);
    let bad = run(&engine, &input(p.port, "/header/me", header, &[("account", "acme"), ("key", "key-999")])).await;
    assert_eq!(step_kinds(&bad).last(), Some(&(TestStepKind::TestRequest, false)));
    assert_eq!(fixed(&bad), Some(("authentication.key", "key")));

    // An unexpected status fails its step too, but blames no field.
    let bearer = http_api_method("bearer");
    let teapot = run(&engine, &input(p.port, "/teapot", bearer, &[("token", "tok-abc")])).await;
    assert_eq!(step_kinds(&teapot).last(), Some(&(TestStepKind::TestRequest, false)));
    assert_eq!(teapot.fix, None);
}

#[tokio::test]
async fn a_refused_client_fails_the_token_step_and_names_the_client_secret() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let token_url = format!("http://127.0.0.1:{}/oauth/token", p.port);
    let values = [("token_url", token_url.as_str()), ("client_id", "client-1"), ("client_secret", "nope"), ("scope", "read")];
    let wrong = run(&engine, &input(p.port, "/cc/me", http_api_method("client_credentials"), &values)).await;
    assert_eq!(wrong.outcome, TestOutcome::AuthRejected);
    assert_eq!(step_kinds(&wrong), [(TestStepKind::TokenExchange, false)]);
    assert_eq!(wrong.steps[0].http_status, Some(401));
    assert_eq!(fixed(&wrong), Some(("authentication.client_secret", "client secret")));
    assert_no_secret(&wrong, &["nope", "client-secret"]);

    let values = [("token_url", token_url.as_str()), ("client_id", "client-1"), ("client_secret", "client-secret"), ("scope", "admin")];
    let scope = run(&engine, &input(p.port, "/cc/me", http_api_method("client_credentials"), &values)).await;
    assert_eq!(fixed(&scope), Some(("authentication.scope", "scope")));
}

#[tokio::test]
async fn a_token_url_with_no_endpoint_or_nothing_there_names_the_token_url() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let missing = format!("http://127.0.0.1:{}/no/such/token", p.port);
    let values = [("token_url", missing.as_str()), ("client_id", "client-1"), ("client_secret", "client-secret")];
    let result = run(&engine, &input(p.port, "/cc/me", http_api_method("client_credentials"), &values)).await;
    assert_eq!(result.outcome, TestOutcome::UnexpectedStatus);
    assert_eq!(step_kinds(&result), [(TestStepKind::TokenExchange, false)]);
    assert_eq!(result.steps[0].http_status, Some(404));
    assert_eq!(fixed(&result), Some(("authentication.token_url", "token URL")));
    assert!(result.message.contains("HTTP 404"), "{}", result.message);

    let closed = closed_port().await;
    let nowhere = format!("http://127.0.0.1:{closed}/oauth/token");
    let values = [("token_url", nowhere.as_str()), ("client_id", "client-1"), ("client_secret", "client-secret")];
    let result = run(&engine, &input(p.port, "/cc/me", http_api_method("client_credentials"), &values)).await;
    assert_eq!(result.outcome, TestOutcome::Connect);
    assert_eq!(fixed(&result), Some(("authentication.token_url", "token URL")));
}

/// A loopback port nothing listens on.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn an_address_where_nothing_answers_names_the_variable_that_makes_it() {
    let engine = loopback_engine(EngineConfig::default());
    let port = closed_port().await;
    let result = run(&engine, &input(port, "/bearer/me", http_api_method("bearer"), &[("token", "tok-abc")])).await;
    assert_eq!(result.outcome, TestOutcome::Connect);
    assert_eq!(step_kinds(&result).last(), Some(&(TestStepKind::Connect, false)));
    assert_eq!(fixed(&result), Some(("variables.port", "port")));
}

// -- client authentication and signature method choices -------------------------

#[tokio::test]
async fn oauth2_client_credentials_go_in_the_body_or_a_basic_header_as_the_choice_says() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let at = |path: &str| format!("http://127.0.0.1:{}{path}", p.port);
    // An empty choice is the first one, the basic header.
    for (choice, takes, refuses) in [
        ("request_body", "/oauth/token-body", "/oauth/token-basic"),
        ("basic_header", "/oauth/token-basic", "/oauth/token-body"),
        ("", "/oauth/token-basic", "/oauth/token-body"),
    ] {
        let values = |url: &str| {
            [("token_url", url.to_owned()), ("client_id", "client-1".into()), ("client_secret", "client-secret".into()), ("client_auth", choice.into())]
        };
        let cc = || http_api_method("client_credentials");
        let ok_values = values(&at(takes));
        let ok_values: Vec<(&str, &str)> = ok_values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let ok = run(&engine, &input(p.port, "/cc/me", cc(), &ok_values)).await;
        assert_eq!(ok.outcome, TestOutcome::Ok, "{choice:?} at {takes}: {}", ok.message);

        let bad_values = values(&at(refuses));
        let bad_values: Vec<(&str, &str)> = bad_values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = run(&engine, &input(p.port, "/cc/me", cc(), &bad_values)).await;
        assert_eq!(refused.outcome, TestOutcome::AuthRejected, "{choice:?} at {refuses}");
        assert!(refused.message.contains("invalid_client"), "{}", refused.message);
        assert_no_secret(&refused, &["client-secret"]);
    }

    let values = [("token_url", at("/oauth/token-body")), ("client_id", "client-1".into()), ("client_secret", "client-secret".into()), ("client_auth", "carrier pigeon".into())];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let odd = run(&engine, &input(p.port, "/cc/me", http_api_method("client_credentials"), &values)).await;
    assert_eq!(odd.outcome, TestOutcome::InvalidSettings);
    assert_eq!(odd.message, "Choose the client authentication from the list.");
    assert!(odd.steps.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn authorisation_code_exchange_and_refresh_authenticate_the_client_as_chosen() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let body_url = format!("http://127.0.0.1:{}/oauth/token-body", p.port);
    let values = |choice: &'static str| {
        [("authorize_url", "http://127.0.0.1/consent"), ("token_url", body_url.as_str()), ("client_id", "client-1"), ("client_secret", "client-secret"), ("client_auth", choice)]
    };
    for (choice, works) in [("request_body", true), ("basic_header", false)] {
        let mut expired = input(p.port, "/code/me", http_api_method("authorisation_code"), &values(choice));
        expired.oauth_tokens = Some(OAuthTokens { access_token: "stale".into(), refresh_token: Some("refresh-1".into()), expires_at: Some(0), scope: None });
        let renewed = engine.test(1, &expired).await.unwrap();
        assert_eq!(renewed.result.outcome == TestOutcome::Ok, works, "{choice}: {}", renewed.result.message);
        assert_eq!(renewed.refreshed_tokens.is_some(), works);

        let fresh = input(p.port, "/code/me", http_api_method("authorisation_code"), &values(choice));
        let grant = conduit_server::engine::CodeGrant {
            code: "code-1".into(),
            redirect_uri: "http://127.0.0.1/api/oauth/callback".into(),
            code_verifier: "v".repeat(43),
        };
        let exchanged = engine.test_code(1, &fresh, &grant).await.unwrap();
        assert_eq!(exchanged.result.outcome == TestOutcome::Ok, works, "{choice}: {}", exchanged.result.message);
        if !works {
            assert_eq!(fixed(&exchanged.result), Some(("authentication.client_secret", "client secret")));
        }
    }
}

#[tokio::test]
async fn oauth1_signs_with_the_chosen_method_as_an_independent_verifier_checks() {
    let p = provider().await;
    let engine = loopback_engine(EngineConfig::default());
    let values = |method: &'static str, secret: &'static str| {
        [("consumer_key", "consumer-key"), ("consumer_secret", "consumer-secret"), ("token_id", "token-id"), ("token_secret", secret), ("signature_method", method)]
    };
    let oauth1 = || http_api_method("oauth1");
    // An empty choice is the first one, HMAC-SHA256.
    for (method, path) in [("HMAC-SHA1", "/oauth1/sha1/me?limit=1&q=a%20b"), ("HMAC-SHA256", "/oauth1/sha256/me?limit=1"), ("", "/oauth1/sha256/me")] {
        let ok = run(&engine, &input(p.port, path, oauth1(), &values(method, "token-secret"))).await;
        assert_eq!(ok.outcome, TestOutcome::Ok, "{method:?} at {path}: {}", ok.message);
        let bad = run(&engine, &input(p.port, path, oauth1(), &values(method, "wrong-secret"))).await;
        assert_eq!(bad.outcome, TestOutcome::AuthRejected, "{method:?}");
        assert_eq!(fixed(&bad), Some(("authentication.consumer_secret", "consumer secret")));
        assert_no_secret(&bad, &["wrong-secret", "consumer-secret"]);
    }
    // A provider that takes only HMAC-SHA1 refuses the other method.
    let other = run(&engine, &input(p.port, "/oauth1/sha1/me", oauth1(), &values("HMAC-SHA256", "token-secret"))).await;
    assert_eq!(other.outcome, TestOutcome::AuthRejected);
}
