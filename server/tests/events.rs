//! The live event stream (`GET /api/events`) over real HTTP, on every
//! configured database: a stream hears a save of its company's instance and
//! another company's stream does not; a reconnect with `Last-Event-ID` gets
//! what it missed (and an id it cannot place asks for a refetch); tests and
//! the health checker's status changes are delivered; no secret appears in
//! any event; a company may hold only so many streams; an embed session's
//! token hears only its own instance.

mod common;
#[path = "common/world.rs"]
mod world;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use conduit_server::events::STREAMS_PER_COMPANY;
use conduit_server::health::{run_round, Limits, Scope};
use conduit_server::store::AUTOMATIC_CHECK;
use conduit_types::developer::CreatedApiKey;
use conduit_types::draft::InstanceDraft;
use conduit_types::{EmbedSessionSecret, EmbedToken, ErrorBody, Id, InstanceEvent, InstanceEventKind, InstanceStatus, LiveMessage};
use reqwest::{Client, StatusCode};

use world::{assert_no_secret, World};

const LIMITS: Limits = Limits { period: 900, per_company: 2, global: 8 };
const PORTAL: &str = "https://portal.example";

/// The world's app on a loopback port.
struct Served {
    w: World,
    base: String,
    http: Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn served(t: &common::TestStore) -> Served {
    let w = world::world(&t.store).await;
    let app = w.app.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let http = Client::builder().build().unwrap();
    Served { w, base, http, server }
}

/// One open stream, read as a browser's EventSource reads it.
struct Stream {
    response: reqwest::Response,
    buffer: String,
    /// Everything the stream sent, comments included.
    raw: String,
}

impl Served {
    async fn open(&self, cookie: &str, last_event_id: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}/api/events", self.base)).header("cookie", cookie);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        request.send().await.unwrap()
    }

    async fn stream(&self, cookie: &str, last_event_id: Option<&str>) -> Stream {
        let response = self.open(cookie, last_event_id).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        Stream { response, buffer: String::new(), raw: String::new() }
    }

    /// Saves `id` as `cookie`'s user with its name changed to `name` (a
    /// change that needs no test).
    async fn rename(&self, cookie: &str, id: Id, name: &str) -> i64 {
        let saved = self.w.settings(cookie, id).await;
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.name = name.into();
        let reply = self.w.save(cookie, id, saved.version, &draft, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        saved.version + 1
    }
}

impl Stream {
    /// The next message and its id (`None` when it set none).
    async fn next(&mut self) -> (Option<String>, LiveMessage) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut data) = (None, String::new());
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("id:") {
                        id = Some(value.trim().to_owned());
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push_str(value.trim());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                let message = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                return (id, message);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(20), self.response.chunk())
                .await
                .expect("the stream sent nothing for 20 s")
                .unwrap()
                .expect("the stream ended");
            let text = String::from_utf8(chunk.to_vec()).unwrap();
            self.raw.push_str(&text);
            self.buffer.push_str(&text);
        }
    }

    /// The id of the `ready` message that opens a fresh stream.
    async fn ready(&mut self) -> String {
        match self.next().await {
            (Some(id), LiveMessage::Ready) => id,
            other => panic!("expected ready, got {other:?}"),
        }
    }

    /// The next instance event, with its id.
    async fn event(&mut self) -> (String, InstanceEvent) {
        loop {
            match self.next().await {
                (Some(id), LiveMessage::Instance(event)) => return (id, event),
                (_, LiveMessage::Ready) => {}
                other => panic!("expected an instance event, got {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn a_stream_hears_a_save_of_its_companys_instance_and_not_another_companys() {
    for t in common::stores().await {
        let s = served(&t).await;
        let mut grace = s.stream(&s.w.grace, None).await;
        let mut hank = s.stream(&s.w.hank, None).await;
        grace.ready().await;
        hank.ready().await;

        let version = s.rename(&s.w.ada, s.w.bearer, "Orders API (EU)").await;
        let (_, event) = grace.event().await;
        assert_eq!((event.instance, event.kind, event.version), (s.w.bearer, InstanceEventKind::Saved, Some(version)), "{}", t.name);
        assert_eq!((event.actor.as_str(), event.name.as_str()), ("Ada Lovelace", "Orders API (EU)"), "{}", t.name);
        assert!(event.by.is_some() && !event.automatic, "{event:?}");
        assert_eq!(event.changed, vec!["name".to_owned()], "{}", t.name);

        // Globex's stream hears Globex's own save first: never Ada's.
        s.rename(&s.w.hank, s.w.other.instance_id, "Globex Shopify (US)").await;
        let (_, theirs) = hank.event().await;
        assert_eq!((theirs.instance, theirs.actor.as_str()), (s.w.other.instance_id, "Hank Scorpio"), "{}", t.name);
        // …and Grace's stream hears Ada's next save, never Globex's.
        s.rename(&s.w.ada, s.w.bearer, "Orders API").await;
        assert_eq!(grace.event().await.1.instance, s.w.bearer, "{}", t.name);
        drop((grace, hank, s));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_reconnect_with_its_last_event_id_gets_what_it_missed() {
    for t in common::stores().await {
        let s = served(&t).await;
        let mut first = s.stream(&s.w.grace, None).await;
        let seen = first.ready().await;
        drop(first);

        let v1 = s.rename(&s.w.ada, s.w.bearer, "Orders API 1").await;
        let v2 = s.rename(&s.w.ada, s.w.bearer, "Orders API 2").await;
        s.rename(&s.w.hank, s.w.other.instance_id, "Globex elsewhere").await;

        let mut again = s.stream(&s.w.grace, Some(&seen)).await;
        let (id1, missed1) = again.event().await;
        let (id2, missed2) = again.event().await;
        assert_eq!((missed1.version, missed2.version), (Some(v1), Some(v2)), "{}", t.name);
        assert_ne!(id1, id2);
        // Then it is up to date, and hears what comes next.
        // (Its id is the newest of every company's events, Globex's save here.)
        let (ready_id, ready) = again.next().await;
        assert_eq!(ready, LiveMessage::Ready, "{}", t.name);
        assert!(ready_id.is_some_and(|id| id != id2), "{}", t.name);
        let v3 = s.rename(&s.w.ada, s.w.bearer, "Orders API 3").await;
        assert_eq!(again.event().await.1.version, Some(v3), "{}", t.name);

        // An id it cannot place (another server run, or nonsense) asks the page to load afresh.
        for unknown in ["0-1", "not an id"] {
            let mut stale = s.stream(&s.w.grace, Some(unknown)).await;
            assert!(matches!(stale.next().await, (Some(_), LiveMessage::Refetch)), "{}: {unknown}", t.name);
        }
        drop((again, s));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_test_and_a_status_the_health_checker_finds_are_delivered_without_secrets() {
    for t in common::stores().await {
        let s = served(&t).await;
        let mut grace = s.stream(&s.w.grace, None).await;
        grace.ready().await;

        // The checker finds the stored token refused: a status change.
        let tested = run_round(&s.w.state, &LIMITS, &Scope::Only(BTreeSet::from([s.w.bearer]))).await.unwrap();
        assert_eq!(tested, 1, "{}", t.name);
        let (_, status) = grace.event().await;
        assert_eq!((status.instance, status.kind), (s.w.bearer, InstanceEventKind::Status), "{}", t.name);
        assert_eq!(status.status, Some(InstanceStatus::FailedAuthentication), "{}", t.name);
        assert_eq!((status.actor.as_str(), status.automatic, status.by), (AUTOMATIC_CHECK, true, None), "{}", t.name);

        // Ada tests a new token (history only), saves it with the receipt,
        // and the saved connection then passes a test of its own: a status.
        let (saved, draft, receipt) = s.w.tested_new_token().await;
        let (_, tested) = grace.event().await;
        assert_eq!((tested.kind, tested.actor.as_str()), (InstanceEventKind::Tested, "Ada Lovelace"), "{}", t.name);
        let reply = s.w.save(&s.w.ada, s.w.bearer, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let (_, save) = grace.event().await;
        assert_eq!((save.kind, save.status), (InstanceEventKind::Saved, Some(InstanceStatus::Operational)), "{}", t.name);
        assert!(save.changed.iter().any(|l| l.contains("token")), "{:?}", save.changed);
        let now = s.w.settings(&s.w.ada, s.w.bearer).await;
        let reply = s.w.test(&s.w.grace, s.w.bearer, now.version, &InstanceDraft::from_settings(&now)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(grace.event().await.1.kind, InstanceEventKind::Tested, "{}", t.name);
        let (_, by_test) = grace.event().await;
        assert_eq!((by_test.kind, by_test.actor.as_str(), by_test.automatic), (InstanceEventKind::Status, "Grace Hopper", false), "{}", t.name);

        assert_no_secret("the event stream", &grace.raw);
        drop((grace, s));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_deletion_is_delivered_naming_the_instance_and_who_deleted_it() {
    for t in common::stores().await {
        let s = served(&t).await;
        let mut grace = s.stream(&s.w.grace, None).await;
        grace.ready().await;
        let reply = s.http.delete(format!("{}/api/instances/{}", s.base, s.w.client_credentials)).header("cookie", &s.w.ada).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::NO_CONTENT);
        let (_, deleted) = grace.event().await;
        assert_eq!((deleted.instance, deleted.kind, deleted.status), (s.w.client_credentials, InstanceEventKind::Deleted, None), "{}", t.name);
        assert_eq!((deleted.name.as_str(), deleted.actor.as_str()), ("Rates API", "Ada Lovelace"), "{}", t.name);
        drop((grace, s));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_company_may_hold_only_so_many_streams_and_a_stranger_none() {
    for t in common::stores().await {
        let s = served(&t).await;
        let mut open = vec![];
        for _ in 0..STREAMS_PER_COMPANY {
            let mut stream = s.stream(&s.w.ada, None).await;
            stream.ready().await;
            open.push(stream);
        }
        let refused = s.open(&s.w.grace, None).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "{}", t.name);
        let body: ErrorBody = refused.json().await.unwrap();
        assert!(body.message.contains("Close some"), "{}", body.message);
        // Another company has its own streams.
        s.stream(&s.w.hank, None).await.ready().await;
        // Without a session there is no stream at all.
        let anonymous = s.http.get(format!("{}/api/events", s.base)).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{}", t.name);
        drop((open, s));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_embed_token_hears_only_its_own_instance() {
    for t in common::stores().await {
        let s = served(&t).await;
        let key = s.http.post(format!("{}/api/developer/keys", s.base)).header("cookie", &s.w.ada).json(&serde_json::json!({"name": "Portal"})).send().await.unwrap();
        assert_eq!(key.status(), StatusCode::CREATED);
        let key = key.json::<CreatedApiKey>().await.unwrap().secret;
        let origins = s.http.put(format!("{}/api/developer/origins", s.base)).header("cookie", &s.w.ada).json(&serde_json::json!({"origins": [PORTAL]})).send().await.unwrap();
        assert_eq!(origins.status(), StatusCode::OK);
        let body = serde_json::json!({"instance": s.w.bearer, "origin": PORTAL, "user_name": "Jane Doe", "permissions": ["view"]});
        let session = s.http.post(format!("{}/api/embed/sessions", s.base)).bearer_auth(&key).json(&body).send().await.unwrap();
        assert_eq!(session.status(), StatusCode::CREATED);
        let secret = session.json::<EmbedSessionSecret>().await.unwrap().secret;
        let exchange = s.http.post(format!("{}/api/embed/exchange", s.base)).json(&serde_json::json!({"secret": secret, "origin": PORTAL})).send().await.unwrap();
        assert_eq!(exchange.status(), StatusCode::OK);
        let token = exchange.json::<EmbedToken>().await.unwrap().token;

        let response = s.http.get(format!("{}/api/events", s.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{}", t.name);
        let mut embedded = Stream { response, buffer: String::new(), raw: String::new() };
        embedded.ready().await;
        // A save of another instance of the company first, then of its own.
        s.rename(&s.w.ada, s.w.client_credentials, "Rates API (EU)").await;
        s.rename(&s.w.ada, s.w.bearer, "Orders API (EU)").await;
        let (_, first) = embedded.event().await;
        assert_eq!((first.instance, first.kind), (s.w.bearer, InstanceEventKind::Saved), "{}", t.name);
        drop((embedded, s));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn shutting_down_ends_open_streams_so_the_server_stops() {
    let t = common::sqlite().await;
    let w = world::world(&t.store).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(conduit_server::serve(listener, w.state.clone(), async move {
        _ = stopped.await;
    }));
    let response = Client::new().get(format!("{base}/api/events")).header("cookie", &w.grace).send().await.unwrap();
    let mut stream = Stream { response, buffer: String::new(), raw: String::new() };
    stream.ready().await;
    stop.send(()).unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(20), server).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "the server stopped with the stream open");
    let rest = tokio::time::timeout(Duration::from_secs(20), stream.response.chunk()).await.unwrap();
    assert!(matches!(rest, Ok(None) | Err(_)), "the stream ended");
    t.cleanup().await;
}
