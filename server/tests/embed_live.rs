//! Embed sessions over real HTTP (the app on a free loopback port, reqwest
//! as the host's backend and the iframe), on every configured database: the
//! mint answer names the company, the exchange is refused from a page of
//! another origin (and the secret used up all the same), the token answer
//! names the end user, a configured token lifetime expires on the manual
//! clock, and the certificate check takes a token with `certificates`.

mod common;
#[path = "common/world.rs"]
mod world;

use std::net::SocketAddr;

use conduit_server::clock::Clock;
use conduit_server::AppState;
use conduit_types::developer::CreatedApiKey;
use conduit_types::{EmbedSessionSecret, EmbedToken, ErrorBody, Id, StoredCertificates};
use reqwest::{Client, StatusCode};

use world::World;

const PORTAL: &str = "https://portal.example";
const START: i64 = 1_900_000_000;

/// The world's app on a loopback port, on a manual clock, with an API key
/// and PORTAL allowed to embed; `token_seconds` is the configured token
/// lifetime.
struct Live {
    w: World,
    clock: Clock,
    base: String,
    key: String,
    http: Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn live(t: &common::TestStore, token_seconds: i64) -> Live {
    let clock = Clock::manual(START);
    let w = world::world(&t.store.clone().with_clock(clock.clone())).await;
    let mut config = (*w.state.config).clone();
    config.embed_token_seconds = token_seconds;
    let app = conduit_server::app(AppState::new(w.store.clone(), config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let http = Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap();
    let mut live = Live { w, clock, base, key: String::new(), http, server };
    let created = live.cookie_post("/api/developer/keys", serde_json::json!({"name": "Portal"})).await;
    assert_eq!(created.0, StatusCode::CREATED, "{}", created.1);
    live.key = serde_json::from_str::<CreatedApiKey>(&created.1).unwrap().secret;
    let reply = live.http.put(format!("{}/api/developer/origins", live.base)).header("cookie", &live.w.ada).json(&serde_json::json!({"origins": [PORTAL]})).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    live
}

async fn text(response: reqwest::Response) -> (StatusCode, String) {
    (response.status(), response.text().await.unwrap())
}

fn json<T: serde::de::DeserializeOwned>(reply: &(StatusCode, String)) -> T {
    serde_json::from_str(&reply.1).unwrap_or_else(|e| panic!("{e}: {} {}", reply.0, reply.1))
}

impl Live {
    async fn cookie_post(&self, path: &str, body: serde_json::Value) -> (StatusCode, String) {
        text(self.http.post(format!("{}{path}", self.base)).header("cookie", &self.w.ada).json(&body).send().await.unwrap()).await
    }

    async fn bearer_post(&self, path: &str, bearer: Option<&str>, body: serde_json::Value) -> (StatusCode, String) {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        text(request.send().await.unwrap()).await
    }

    async fn mint(&self, permissions: &[&str]) -> EmbedSessionSecret {
        let body = serde_json::json!({"instance": self.w.bearer, "origin": PORTAL, "user_name": "Jane Doe", "permissions": permissions});
        let reply = self.bearer_post("/api/embed/sessions", Some(&self.key), body).await;
        assert_eq!(reply.0, StatusCode::CREATED, "{}", reply.1);
        json(&reply)
    }

    async fn exchange(&self, secret: &str, origin: &str) -> (StatusCode, String) {
        self.bearer_post("/api/embed/exchange", None, serde_json::json!({"secret": secret, "origin": origin})).await
    }

    async fn token(&self, permissions: &[&str]) -> EmbedToken {
        let session = self.mint(permissions).await;
        let reply = self.exchange(&session.secret, PORTAL).await;
        assert_eq!(reply.0, StatusCode::OK, "{}", reply.1);
        json(&reply)
    }

    async fn settings(&self, token: &str, id: Id) -> StatusCode {
        self.http.get(format!("{}/api/instances/{id}", self.base)).bearer_auth(token).send().await.unwrap().status()
    }
}

fn message(reply: &(StatusCode, String)) -> String {
    json::<ErrorBody>(reply).message
}

#[tokio::test]
async fn the_mint_names_the_company_and_the_token_the_end_user() {
    for t in common::stores().await {
        let live = live(&t, 900).await;
        let session = live.mint(&["view"]).await;
        assert_eq!(session.company, live.w.company, "{}", t.name);
        let reply = live.exchange(&session.secret, " HTTPS://Portal.Example:443/ ").await;
        assert_eq!(reply.0, StatusCode::OK, "{}: {}", t.name, reply.1);
        let token: EmbedToken = json(&reply);
        assert_eq!((token.user_name.as_str(), token.origin.as_str(), token.instance), ("Jane Doe", PORTAL, live.w.bearer));
        assert_eq!(token.expires_at, START + 900);
        assert_eq!(live.settings(&token.token, live.w.bearer).await, StatusCode::OK);
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_secret_sent_from_another_origin_is_refused_and_used_up() {
    for t in common::stores().await {
        let live = live(&t, 900).await;
        for origin in ["https://evil.example", "http://portal.example", "https://portal.example:8443", "null", "<b>not an origin</b>", ""] {
            let session = live.mint(&["view"]).await;
            let reply = live.exchange(&session.secret, origin).await;
            assert_eq!(reply.0, StatusCode::FORBIDDEN, "{}: {origin}: {}", t.name, reply.1);
            assert_eq!(message(&reply), conduit_server::embed::OTHER_ORIGIN);
            if !origin.is_empty() {
                assert!(!reply.1.contains(origin), "the answer does not repeat what was sent: {}", reply.1);
            }
            // Used up: not even the right origin can exchange it now.
            let again = live.exchange(&session.secret, PORTAL).await;
            assert_eq!(again.0, StatusCode::UNAUTHORIZED, "{origin}: {}", again.1);
            assert_eq!(message(&again), conduit_server::embed::BAD_SECRET);
        }
        // No token was stored for any of them.
        let raw = t.raw().await;
        let with_token: i64 = sqlx::Row::try_get(&sqlx::query("SELECT COUNT(*) AS n FROM embed_sessions WHERE token_hash IS NOT NULL").fetch_one(&raw).await.unwrap(), "n").unwrap();
        raw.close().await;
        assert_eq!(with_token, 0, "{}", t.name);
        // An exchange without an origin is not read at all.
        let session = live.mint(&["view"]).await;
        let reply = live.bearer_post("/api/embed/exchange", None, serde_json::json!({"secret": session.secret})).await;
        assert!(reply.0.is_client_error() && reply.0 != StatusCode::OK, "{}", reply.1);
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_configured_short_token_lifetime_expires_on_the_clock() {
    for t in common::stores().await {
        let live = live(&t, 30).await;
        let token = live.token(&["view"]).await;
        assert_eq!(token.expires_at, START + 30, "{}", t.name);
        live.clock.advance(29);
        assert_eq!(live.settings(&token.token, live.w.bearer).await, StatusCode::OK, "{}", t.name);
        live.clock.advance(1);
        assert_eq!(live.settings(&token.token, live.w.bearer).await, StatusCode::UNAUTHORIZED, "{}", t.name);
        drop(live);
        t.cleanup().await;
    }
}

/// A self-signed CA certificate, as PEM.
fn ca_pem() -> String {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, "Portal test CA");
    params.self_signed(&rcgen::KeyPair::generate().unwrap()).unwrap().pem()
}

#[tokio::test]
async fn a_token_with_certificates_may_have_an_upload_read_and_others_may_not() {
    for t in common::stores().await {
        let live = live(&t, 900).await;
        let upload = serde_json::json!({"ca_certificate_pem": ca_pem()});
        let inspect = |token: String| {
            let (live, upload) = (&live, upload.clone());
            async move { live.bearer_post("/api/certificates/inspect", Some(&token), upload).await }
        };
        let allowed = live.token(&["view", "certificates"]).await.token;
        let reply = inspect(allowed.clone()).await;
        assert_eq!(reply.0, StatusCode::OK, "{}: {}", t.name, reply.1);
        let read: StoredCertificates = json(&reply);
        assert!(read.ca.is_some_and(|ca| ca.subject.contains("Portal test CA")));

        let without = live.token(&["view", "edit_credentials"]).await.token;
        let reply = inspect(without).await;
        assert_eq!(reply.0, StatusCode::FORBIDDEN, "{}", reply.1);
        assert_eq!(message(&reply), "This embedded session may not change the certificates.");
        assert_eq!(inspect("ct_unknown".to_owned()).await.0, StatusCode::UNAUTHORIZED);
        // From a page: only the session's origin.
        for (origin, status) in [("https://evil.example", StatusCode::FORBIDDEN), (PORTAL, StatusCode::OK)] {
            let response = live.http.post(format!("{}/api/certificates/inspect", live.base)).bearer_auth(&allowed)
                .header("origin", origin).header("sec-fetch-site", "cross-site").json(&upload).send().await.unwrap();
            assert_eq!(response.status(), status, "{origin}");
        }
        // The signed-in user still may; a cookie from another site still may not.
        assert_eq!(live.cookie_post("/api/certificates/inspect", upload.clone()).await.0, StatusCode::OK);
        let response = live.http.post(format!("{}/api/certificates/inspect", live.base)).header("cookie", &live.w.ada)
            .header("origin", PORTAL).header("sec-fetch-site", "cross-site").json(&upload).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        drop(live);
        t.cleanup().await;
    }
}
