//! The fixture for tests of updating an instance through the API: the app
//! with an engine that may reach loopback, three signed-in users (two of the
//! demo company, one of another) and a local third-party API on 127.0.0.1
//! with two instances pointing at it.
//!
//! Included by the test files that need it with `#[path]`, next to `mod common`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use conduit_server::auth::hash_password;
use conduit_server::config::Allowlist;
use conduit_server::store::{NewInstance, Secrets, Store};
use conduit_server::{app, demo, AppState, Config};
use conduit_types::draft::{
    DraftField, InstanceDraft, TestDraftResponse,
};
use conduit_types::{
    ConnectorList, ErrorBody, ErrorCode, Id, InstanceDetails, InstanceSettings, InstanceStatus,
    Me, TestOutcome,
};
use http_body_util::BodyExt;
use tokio::net::TcpListener;
use tower::ServiceExt;

pub const OLD_TOKEN: &str = "old-token-1f6e3a";
pub const NEW_TOKEN: &str = "new-token-9c2d7b";
pub const WRONG_TOKEN: &str = "wrong-token-55aa01";
pub const CLIENT_ID: &str = "conduit-client";
pub const CLIENT_SECRET: &str = "client-secret-77b3e1";
pub const GRACE: (&str, &str) = ("grace@northwind.example", "grace-password");

pub const RECEIPT_MISSING: &str = "These changes affect the connection. Test the connection, then save once the test passes.";
pub const RECEIPT_INVALID: &str = "The test receipt is not valid. Test the connection again, then save.";
pub const RECEIPT_OTHER_DRAFT: &str =
    "These settings are not the ones that passed the test. Test the connection again, then save.";

// -- the local third-party API ---------------------------------------------------

/// A third-party API on a free loopback port: `/api/me` accepts only
/// `Bearer NEW_TOKEN`; `/oauth/token` issues a token for the client
/// credentials; `/cc/me` accepts that token; `/slow/me` answers after a minute. It records every Authorization
/// header and counts connections. Stops when dropped.
pub struct ThirdParty {
    pub port: u16,
    pub authorizations: Arc<Mutex<Vec<String>>>,
    pub connections: Arc<AtomicUsize>,
    pub task: tokio::task::JoinHandle<()>,
}

impl Drop for ThirdParty {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ThirdParty {
    pub fn seen(&self) -> Vec<String> {
        self.authorizations.lock().unwrap().clone()
    }
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

pub fn authorization(headers: &HeaderMap) -> String {
    headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

pub async fn third_party() -> ThirdParty {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let authorizations = Arc::new(Mutex::new(vec![]));
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let app = Router::new()
        .route(
            "/api/me",
            get(|State(seen): State<Arc<Mutex<Vec<String>>>>, headers: HeaderMap| async move {
                let auth = authorization(&headers);
                seen.lock().unwrap().push(auth.clone());
                if auth == format!("Bearer {NEW_TOKEN}") { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
            }),
        )
        .route(
            "/oauth/token",
            post(|State(seen): State<Arc<Mutex<Vec<String>>>>, headers: HeaderMap, Form(form): Form<BTreeMap<String, String>>| async move {
                let auth = authorization(&headers);
                seen.lock().unwrap().push(auth.clone());
                use base64::Engine as _;
                let expected = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
                );
                if auth == expected && form.get("grant_type").map(String::as_str) == Some("client_credentials") {
                    Json(serde_json::json!({"access_token": "cc-access", "token_type": "Bearer"})).into_response()
                } else {
                    (StatusCode::UNAUTHORIZED, Json(serde_json::json!({"error": "invalid_client"}))).into_response()
                }
            }),
        )
        .route(
            "/slow/me",
            get(|State(seen): State<Arc<Mutex<Vec<String>>>>, headers: HeaderMap| async move {
                seen.lock().unwrap().push(authorization(&headers));
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                StatusCode::OK
            }),
        )
        .route(
            "/cc/me",
            get(|headers: HeaderMap| async move {
                if authorization(&headers) == "Bearer cc-access" { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
            }),
        )
        .with_state(authorizations.clone());
    let listener = listener.tap_io(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    ThirdParty { port, authorizations, connections, task }
}

// -- the app and its users ---------------------------------------------------------

pub struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    pub fn error(&self) -> ErrorBody {
        self.json()
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn call(app: &Router, method: Method, uri: &str, cookie: &str, body: Option<String>) -> Reply {
    let request = Request::builder().method(method).uri(uri).header(header::COOKIE, cookie);
    let request = match body {
        Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body)),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, body }
}

pub async fn sign_in(app: &Router, email: &str, password: &str) -> (String, Me) {
    let body = serde_json::json!({"email": email, "password": password}).to_string();
    let request = Request::post("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let me: Me = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    (cookie, me)
}

/// The app with an engine that may reach loopback (where the third party is).
pub fn loopback_state(store: Store) -> AppState {
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.static_dir = PathBuf::from("missing");
    config.egress_allow = Allowlist(vec!["127.0.0.1/32".parse().unwrap()]);
    AppState::new(store, config)
}

pub struct World {
    pub store: Store,
    pub state: AppState,
    pub app: Router,
    pub company: Id,
    pub ada: String,
    pub grace: String,
    pub hank: String,
    pub other: crate::common::OtherCompany,
    pub api: ThirdParty,
    /// An HTTP API instance with a bearer token (OLD_TOKEN stored) pointing at the third party.
    pub bearer: Id,
    /// An HTTP API instance with OAuth 2 client credentials pointing at the third party.
    pub client_credentials: Id,
}

/// Creates an instance of the built-in HTTP API connector for `company`:
/// `name`, at `base_url` and tested at `/me`, not tested yet, with the
/// method, its plain fields and its secrets.
pub async fn http_api_instance(
    store: &Store,
    company: Id,
    name: &str,
    base_url: String,
    auth_method: &str,
    auth_fields: BTreeMap<String, String>,
    secrets: Secrets,
) -> Id {
    let list = store.connector_list(company).await.unwrap();
    let http_api = list.connectors.iter().find(|c| c.slug == "http-api").unwrap().id;
    let details = InstanceDetails {
        name: name.into(),
        time_zone: "UTC".into(),
        date_format: "Y-m-d H:i:s".into(),
        rate_limit: None,
        connection_pool: None,
        variables: BTreeMap::from([("base_url".into(), base_url), ("test_path".into(), "/me".into())]),
    };
    let new = NewInstance {
        connector_id: http_api,
        details,
        auth_method: auth_method.into(),
        auth_fields,
        secrets,
        status: InstanceStatus::NotTested,
        last_tested_at: None,
    };
    store.create_instance(company, &new).await.unwrap()
}

pub async fn world(store: &Store) -> World {
    let other = crate::common::seeded(store).await;
    let state = loopback_state(store.clone());
    let app = app(state.clone());
    let (ada, me) = sign_in(&app, demo::EMAIL, demo::PASSWORD).await;
    let company = me.company.id;
    store.create_user(company, GRACE.0, "Grace Hopper", &hash_password(GRACE.1).unwrap()).await.unwrap();
    let (grace, _) = sign_in(&app, GRACE.0, GRACE.1).await;
    let (hank, _) = sign_in(&app, other.email, other.password).await;

    let api = third_party().await;
    let base = format!("http://127.0.0.1:{}", api.port);
    let bearer = http_api_instance(store, company, "Orders API", format!("{base}/api"), "bearer", BTreeMap::new(), Secrets::from_pairs([("token", OLD_TOKEN)])).await;
    let cc_fields = BTreeMap::from([
        ("token_url".into(), format!("{base}/oauth/token")),
        ("client_id".into(), CLIENT_ID.into()),
        ("scope".into(), String::new()),
    ]);
    let client_credentials = http_api_instance(store, company, "Rates API", format!("{base}/cc"), "client_credentials", cc_fields, Secrets::from_pairs([("client_secret", CLIENT_SECRET)])).await;
    World { store: store.clone(), state, app, company, ada, grace, hank, other, api, bearer, client_credentials }
}

impl World {
    pub async fn settings(&self, cookie: &str, id: Id) -> InstanceSettings {
        let reply = call(&self.app, Method::GET, &format!("/api/instances/{id}"), cookie, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.json()
    }

    pub async fn test(&self, cookie: &str, id: Id, base_version: i64, draft: &InstanceDraft) -> Reply {
        let body = serde_json::json!({"base_version": base_version, "draft": draft}).to_string();
        call(&self.app, Method::POST, &format!("/api/instances/{id}/test"), cookie, Some(body)).await
    }

    pub async fn save(&self, cookie: &str, id: Id, base_version: i64, draft: &InstanceDraft, receipt: Option<&str>) -> Reply {
        let body = serde_json::json!({"base_version": base_version, "draft": draft, "receipt": receipt}).to_string();
        call(&self.app, Method::PUT, &format!("/api/instances/{id}"), cookie, Some(body)).await
    }

    pub async fn history(&self, cookie: &str, id: Id) -> Reply {
        call(&self.app, Method::GET, &format!("/api/instances/{id}/history"), cookie, None).await
    }

    /// Tests `draft` and answers its receipt's token; the test must pass.
    pub async fn receipt(&self, id: Id, base_version: i64, draft: &InstanceDraft) -> String {
        let reply = self.test(&self.ada, id, base_version, draft).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let tested: TestDraftResponse = reply.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
        tested.receipt.expect("a passing test has a receipt").token
    }

    /// Ada's bearer-token instance as saved, and a draft of it holding
    /// `NEW_TOKEN`, not tested yet.
    pub async fn new_token_draft(&self) -> (InstanceSettings, InstanceDraft) {
        let saved = self.settings(&self.ada, self.bearer).await;
        let mut draft = InstanceDraft::from_settings(&saved);
        replace(&mut draft, "token", NEW_TOKEN);
        (saved, draft)
    }

    /// The same, tested: with the receipt of its passing test.
    pub async fn tested_new_token(&self) -> (InstanceSettings, InstanceDraft, String) {
        let (saved, draft) = self.new_token_draft().await;
        let receipt = self.receipt(self.bearer, saved.version, &draft).await;
        (saved, draft, receipt)
    }

    /// Ada's bearer-token instance as saved, and a draft of it that failed a
    /// test with `WRONG_TOKEN` and now holds `NEW_TOKEN`, not tested yet.
    pub async fn failed_then_new_token(&self) -> (InstanceSettings, InstanceDraft) {
        let saved = self.settings(&self.ada, self.bearer).await;
        let mut draft = InstanceDraft::from_settings(&saved);
        replace(&mut draft, "token", WRONG_TOKEN);
        self.test(&self.ada, self.bearer, saved.version, &draft).await;
        replace(&mut draft, "token", NEW_TOKEN);
        (saved, draft)
    }

    pub async fn status(&self, id: Id) -> (InstanceStatus, Option<i64>) {
        let list: ConnectorList = self.store.connector_list(self.company).await.unwrap();
        let summary = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.id == id).unwrap();
        (summary.status, summary.last_tested_at)
    }
}

pub fn replace(draft: &mut InstanceDraft, key: &str, value: &str) {
    draft.authentication.fields.insert(key.into(), DraftField::Replace { value: value.into() });
}

pub fn assert_no_secret(what: &str, text: &str) {
    for secret in [OLD_TOKEN, NEW_TOKEN, WRONG_TOKEN, CLIENT_SECRET] {
        assert!(!text.contains(secret), "{secret} appears in {what}: {text}");
    }
}

pub fn field_errors(reply: &Reply) -> Vec<(String, String)> {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
    let error = reply.error();
    assert_eq!(error.code, ErrorCode::Validation);
    error.fields.into_iter().map(|f| (f.field, f.message)).collect()
}


/// Makes every insert into the history fail, inside whatever transaction does it.
pub async fn break_history(t: &crate::common::TestStore) {
    let raw = t.raw().await;
    if t.name == "sqlite" {
        sqlx::query(
            "CREATE TRIGGER break_history BEFORE INSERT ON instance_events
             BEGIN SELECT RAISE(ABORT, 'history is broken'); END",
        )
        .execute(&raw)
        .await
        .unwrap();
    } else {
        sqlx::raw_sql(
            "CREATE FUNCTION break_history() RETURNS trigger AS $$
             BEGIN RAISE EXCEPTION 'history is broken'; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER break_history BEFORE INSERT ON instance_events
             FOR EACH ROW EXECUTE FUNCTION break_history();",
        )
        .execute(&raw)
        .await
        .unwrap();
    }
    raw.close().await;
}
