//! A host site for the embed tests: a tiny web server on 127.0.0.1 that the
//! tests address as `http://localhost:<port>`, another site than the conduit
//! server at 127.0.0.1 (so third-party cookie rules apply). It serves the
//! pages a test gives it by path, and `POST /session` (`{"instance": N}`, as
//! the element's default fetchSession sends it), which mints an embed session
//! at conduit with the host's API key for the host's origin, with every
//! permission or those of `?permissions=view,test`. It counts those calls and
//! can be told to fail them (503), as a host whose backend is down.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::task::JoinHandle;

/// Every permission an embed session can have, by its wire name.
pub const ALL_PERMISSIONS: &str = "view,edit_details,edit_credentials,certificates,test,authorise";
/// The end user the host says is signed in.
pub const HOST_USER: &str = "Jane Doe";

struct HostState {
    origin: String,
    conduit: Mutex<String>,
    api_key: String,
    pages: Mutex<HashMap<String, String>>,
    session_calls: AtomicUsize,
    failing: AtomicBool,
}

/// The host site; it stops when dropped.
pub struct Host {
    /// `http://localhost:<port>`: the host's origin, as pages are opened.
    pub base: String,
    /// `http://127.0.0.1:<port>`: the same server as another site.
    pub other_site: String,
    state: Arc<HostState>,
    task: JoinHandle<()>,
}

impl Host {
    /// Listens on a free port of 127.0.0.1; mints sessions with `api_key`
    /// at the server [`Host::mint_at`] names (the server is started after
    /// the host, to allow the host's origin).
    pub async fn start(api_key: &str) -> Host {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://localhost:{port}");
        let state = Arc::new(HostState {
            origin: base.clone(),
            conduit: Mutex::default(),
            api_key: api_key.to_owned(),
            pages: Mutex::default(),
            session_calls: AtomicUsize::new(0),
            failing: AtomicBool::new(false),
        });
        let app = Router::new().route("/session", post(session)).fallback(page).with_state(state.clone());
        let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Host { base, other_site: format!("http://127.0.0.1:{port}"), state, task }
    }

    /// Mints sessions at `conduit` (`http://127.0.0.1:<port>`, the server's base).
    pub fn mint_at(&self, conduit: &str) {
        *self.state.conduit.lock().unwrap() = conduit.trim_end_matches('/').to_owned();
    }

    /// The host's origin (`http://localhost:<port>`).
    pub fn origin(&self) -> &str {
        &self.base
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Serves `html` at `path` (e.g. `/settings.html`) from now on.
    pub fn page(&self, path: &str, html: impl Into<String>) {
        self.state.pages.lock().unwrap().insert(path.to_owned(), html.into());
    }

    /// How many times `POST /session` was called (failed calls too).
    pub fn session_calls(&self) -> usize {
        self.state.session_calls.load(Ordering::SeqCst)
    }

    /// Makes `POST /session` answer 503 (`true`) or mint again (`false`).
    pub fn fail_sessions(&self, failing: bool) {
        self.state.failing.store(failing, Ordering::SeqCst);
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn page(State(state): State<Arc<HostState>>, uri: Uri) -> Response {
    match state.pages.lock().unwrap().get(uri.path()) {
        Some(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "no such page").into_response(),
    }
}

/// The permissions `?permissions=a,b` asks for; every one without it.
fn permissions(query: Option<&str>) -> Vec<String> {
    let asked = query.into_iter().flat_map(|q| q.split('&')).find_map(|pair| pair.strip_prefix("permissions="));
    asked.unwrap_or(ALL_PERMISSIONS).split(',').filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

async fn session(State(state): State<Arc<HostState>>, RawQuery(query): RawQuery, body: axum::body::Bytes) -> Response {
    state.session_calls.fetch_add(1, Ordering::SeqCst);
    if state.failing.load(Ordering::SeqCst) {
        let body = serde_json::json!({"code": "unavailable", "message": "The host's backend is down."});
        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
    }
    let asked: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let mint = serde_json::json!({
        "instance": asked["instance"],
        "origin": state.origin,
        "user_name": HOST_USER,
        "permissions": permissions(query.as_deref()),
    });
    let conduit = state.conduit.lock().unwrap().clone();
    let (status, body) = post_json(&format!("{conduit}/api/embed/sessions"), Some(&state.api_key), &mint).await;
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// `POST url` with the JSON `body` (and `Authorization: Bearer <bearer>`),
/// as a backend sends it (no Origin); the status and the JSON answer.
pub async fn post_json(url: &str, bearer: Option<&str>, body: &serde_json::Value) -> (StatusCode, serde_json::Value) {
    let mut request = Request::post(url).header(header::CONTENT_TYPE, "application/json");
    if let Some(bearer) = bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {bearer}"));
    }
    let request = request.body(Body::from(body.to_string())).unwrap();
    let client = Client::builder(TokioExecutor::new()).build_http::<Body>();
    let answer = client.request(request).await.unwrap_or_else(|e| panic!("{url} answers: {e}"));
    let status = answer.status();
    let body = axum::body::to_bytes(Body::new(answer.into_body()), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or_else(|_| String::from_utf8_lossy(&body).into()))
}
