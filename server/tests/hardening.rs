//! What attackers try, over real HTTP against the real app on 127.0.0.1:
//! requests from another site, sign-in guessing, error answers that would
//! echo the request, and the database files' permissions.

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use conduit_server::sign_in_limit::{Backoff, Limits, SignInLimit};
use conduit_server::store::{Store, DB_FILE};
use conduit_server::{demo, AppState};
use conduit_types::draft::{AuthoriseMode, AuthoriseRequest, InstanceDraft, SaveRequest, TestDraftRequest};
use conduit_types::{ConnectorList, ErrorBody, ErrorCode, InstanceSettings};
use reqwest::{Client, Method, Response, StatusCode};

/// The app served on a free loopback port until dropped.
struct Served {
    base: String,
    origin: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _store: common::TestStore,
}

impl Served {
    async fn start(configure: impl FnOnce(&mut AppState)) -> Served {
        let t = common::sqlite().await;
        common::seeded(&t.store).await;
        let mut state = common::state(t.store.clone(), PathBuf::from("missing"));
        configure(&mut state);
        let (listener, addr) = conduit_server::bind(&state.config).await.unwrap();
        assert!(addr.ip().is_loopback());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(conduit_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Served {
            base: format!("http://{addr}/api"),
            origin: format!("http://{addr}"),
            stop: Some(stop),
            task: Some(task),
            _store: t,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task).await.unwrap().unwrap().unwrap();
        }
    }
}

fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

fn login(email: &str, password: &str) -> serde_json::Value {
    serde_json::json!({ "email": email, "password": password })
}

async fn sign_in(served: &Served, client: &Client) {
    let reply = client.post(served.url("/session")).json(&login(demo::EMAIL, demo::PASSWORD)).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
}

/// The error body of a reply, checking it is JSON with a code and a sentence.
async fn error_of(reply: Response) -> (StatusCode, reqwest::header::HeaderMap, ErrorBody, String) {
    let status = reply.status();
    let headers = reply.headers().clone();
    assert!(
        headers.get("content-type").is_some_and(|v| v.to_str().unwrap().starts_with("application/json")),
        "{status}: {headers:?}"
    );
    let text = reply.text().await.unwrap();
    let body: ErrorBody = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status} {text:?}: {e}"));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(value["code"].is_string() && value["message"].is_string(), "{text}");
    assert!(body.message.ends_with('.') && body.message.len() > 10, "a sentence: {text}");
    (status, headers, body, text)
}

async fn warehouse(served: &Served, client: &Client) -> InstanceSettings {
    let list: ConnectorList = client.get(served.url("/connectors")).send().await.unwrap().json().await.unwrap();
    let id = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == "Shopify - UK").unwrap().id;
    client.get(served.url(&format!("/instances/{id}"))).send().await.unwrap().json().await.unwrap()
}

// -- requests from another site ----------------------------------------------------

#[tokio::test]
async fn another_sites_requests_with_the_cookie_change_nothing() {
    let served = Served::start(|_| {}).await;
    let client = client();
    sign_in(&served, &client).await;
    let settings = warehouse(&served, &client).await;
    let id = settings.id;
    let mut draft = InstanceDraft::from_settings(&settings);
    draft.details.name = "Renamed by evil".into();

    let save = serde_json::to_value(SaveRequest {
        base_version: settings.version,
        draft: draft.clone(),
        receipt: None,
        authorisation: None,
    })
    .unwrap();
    let test = serde_json::to_value(TestDraftRequest { base_version: settings.version, draft: draft.clone() }).unwrap();
    let authorise =
        serde_json::to_value(AuthoriseRequest { base_version: settings.version, draft, mode: AuthoriseMode::Popup })
            .unwrap();
    let attempts: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::PUT, format!("/instances/{id}"), Some(save.clone())),
        (Method::POST, format!("/instances/{id}/test"), Some(test)),
        (Method::POST, format!("/instances/{id}/authorise"), Some(authorise)),
        (Method::POST, "/session".into(), Some(login(demo::EMAIL, demo::PASSWORD))),
        (Method::DELETE, "/session".into(), None),
    ];
    let evil: [&[(&str, &str)]; 4] = [
        &[("origin", "https://evil.example")],
        &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "cross-site")],
        &[("origin", "null")],
    ];
    for headers in evil {
        for (method, path, body) in &attempts {
            let mut request = client.request(method.clone(), served.url(path));
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let (status, _, error, _) = error_of(request.send().await.unwrap()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} {headers:?}");
            assert_eq!(error.code, ErrorCode::Forbidden);
            assert!(error.message.contains("another site"), "{}", error.message);
        }
    }
    // Nothing happened: still signed in, the instance unchanged.
    let now = warehouse(&served, &client).await;
    assert_eq!((now.version, now.details.name.as_str()), (settings.version, settings.details.name.as_str()));

    // The same requests from the server's own page go through.
    let own = [("origin", served.origin.as_str()), ("sec-fetch-site", "same-origin")];
    let mut same = client.put(served.url(&format!("/instances/{id}"))).json(&save);
    for (name, value) in own {
        same = same.header(name, value);
    }
    assert_eq!(same.send().await.unwrap().status(), StatusCode::OK, "the dashboard's own save works");
    let reply = client.delete(served.url("/session")).header("origin", &served.origin).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::NO_CONTENT, "an older browser: Origin equal to Host");
    assert_eq!(client.get(served.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // Safe requests are never refused, e.g. the provider sending the user back.
    let reply = client
        .get(served.url("/oauth/callback?state=x&code=y"))
        .header("origin", "https://provider.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_ne!(reply.status(), StatusCode::FORBIDDEN);
    served.stop().await;
}

#[tokio::test]
async fn configured_origins_may_make_changes() {
    let served = Served::start(|state| {
        let mut config = (*state.config).clone();
        config.allowed_origins.0 = vec!["https://portal.example.net".into()];
        config.public_url = Some("https://conduit.example.com".into());
        state.config = Arc::new(config);
    })
    .await;
    for origin in ["https://portal.example.net", "https://conduit.example.com"] {
        let reply = client()
            .post(served.url("/session"))
            .header("origin", origin)
            .json(&login(demo::EMAIL, demo::PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK, "{origin}");
    }
    served.stop().await;
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_people_reach_conduit_over_https() {
    let set_cookie = |reply: &Response| {
        reply.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let plain = Served::start(|_| {}).await;
    let reply = client().post(plain.url("/session")).json(&login(demo::EMAIL, demo::PASSWORD)).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert!(!set_cookie(&reply).contains("Secure"), "{}", set_cookie(&reply));
    plain.stop().await;

    let https = Served::start(|state| {
        let mut config = (*state.config).clone();
        config.public_url = Some("https://conduit.example.com".into());
        state.config = Arc::new(config);
    })
    .await;
    let reply = client().post(https.url("/session")).json(&login(demo::EMAIL, demo::PASSWORD)).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let cookie = set_cookie(&reply);
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");
    https.stop().await;
}

// -- sign-in guessing ---------------------------------------------------------------

fn quick_limits(state: &mut AppState) {
    state.sign_in_limit = Arc::new(SignInLimit::new(Limits {
        account: Backoff { free: 3, first: Duration::from_millis(400), max: Duration::from_millis(400) },
        address: Backoff { free: 6, first: Duration::from_secs(60), max: Duration::from_secs(600) },
        forget: Duration::from_secs(3600),
        capacity: 1000,
    }));
    let mut config = (*state.config).clone();
    config.trust_forwarded_for = true;
    state.config = Arc::new(config);
}

async fn try_sign_in(served: &Served, from: &str, email: &str, password: &str) -> Response {
    client()
        .post(served.url("/session"))
        .header("x-forwarded-for", format!("192.0.2.200, {from}"))
        .json(&login(email, password))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn guessing_a_password_is_slowed_and_the_right_one_works_after_the_wait() {
    let served = Served::start(quick_limits).await;
    let (attacker, user) = ("203.0.113.9", "198.51.100.7");
    for _ in 0..3 {
        assert_eq!(try_sign_in(&served, attacker, demo::EMAIL, "guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    // The account waits, from every address, even with the right password.
    for from in [attacker, user] {
        let (status, headers, error, _) = error_of(try_sign_in(&served, from, demo::EMAIL, demo::PASSWORD).await).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(error.code, ErrorCode::TooManyRequests);
        assert_eq!(headers["retry-after"], "1");
        assert_eq!(error.message, "Too many sign-in attempts. Wait 1 second, then try again.");
    }
    // Other accounts are not slowed.
    let reply = try_sign_in(&served, user, "hank@globex.example", "globex-password").await;
    assert_eq!(reply.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(450)).await;
    let reply = try_sign_in(&served, user, demo::EMAIL, demo::PASSWORD).await;
    assert_eq!(reply.status(), StatusCode::OK, "the right password after the wait");
    // The success started the account afresh.
    for _ in 0..3 {
        assert_eq!(try_sign_in(&served, user, demo::EMAIL, "typo").await.status(), StatusCode::UNAUTHORIZED);
    }
    served.stop().await;
}

#[tokio::test]
async fn an_address_that_keeps_guessing_waits_while_the_user_still_gets_in() {
    let served = Served::start(quick_limits).await;
    let (attacker, user) = ("203.0.113.9", "198.51.100.7");
    // The attacker sprays accounts (each under its own limit) until its
    // address has to wait.
    for i in 0..6 {
        let reply = try_sign_in(&served, attacker, &format!("user{i}@northwind.example"), "guess").await;
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    }
    let (status, headers, _, _) = error_of(try_sign_in(&served, attacker, demo::EMAIL, "guess").await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "60");
    // That cost the user nothing.
    assert_eq!(try_sign_in(&served, user, demo::EMAIL, demo::PASSWORD).await.status(), StatusCode::OK);
    served.stop().await;
}

#[tokio::test]
async fn the_limit_counts_the_connections_address_by_default() {
    let served = Served::start(|state| {
        quick_limits(state);
        let mut config = (*state.config).clone();
        config.trust_forwarded_for = false;
        state.config = Arc::new(config);
    })
    .await;
    // Six accounts from 127.0.0.1, each a different "address" by the header,
    // which is not trusted: the seventh attempt waits for the address.
    for i in 0..6 {
        let reply = try_sign_in(&served, &format!("198.51.100.{i}"), &format!("u{i}@example.com"), "guess").await;
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    }
    let reply = try_sign_in(&served, "198.51.100.99", "v@example.com", "guess").await;
    assert_eq!(reply.status(), StatusCode::TOO_MANY_REQUESTS);
    served.stop().await;
}

// -- error answers --------------------------------------------------------------------

#[tokio::test]
async fn every_error_answer_is_the_json_body_and_never_echoes_the_request() {
    let served = Served::start(|_| {}).await;
    let client = client();
    sign_in(&served, &client).await;
    let settings = warehouse(&served, &client).await;
    let id = settings.id;

    // A method the route does not take.
    for (method, path) in [(Method::GET, "/session"), (Method::PATCH, "/me"), (Method::DELETE, "/connectors")] {
        let (status, headers, error, _) = error_of(client.request(method.clone(), served.url(path)).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert!(headers.contains_key("allow"), "{headers:?}");
        assert_eq!(error.message, "This address does not accept that kind of request.");
    }
    // A path parameter that is not an id, a query that does not parse, an unknown endpoint.
    let (status, _, _, _) = error_of(client.get(served.url("/instances/not-a-number%3Cscript%3E")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _, _) = error_of(client.get(served.url("/nothing?%ZZ=%")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No content type; not JSON; too large.
    let (status, _, error, text) =
        error_of(client.post(served.url(&format!("/instances/{id}/test"))).body("{\"secret-ish\": 1}").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error.message.contains("Content-Type"), "{text}");
    assert!(!text.contains("secret-ish"));
    let huge = format!("{{\"x\": \"{}\"}}", "y".repeat(300 * 1024));
    let (status, _, _, text) = error_of(
        client
            .post(served.url(&format!("/instances/{id}/test")))
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text.len() < 200);

    // Keys the connector does not have come back named generically, however long.
    let long_key = "k".repeat(100_000);
    let mut draft = InstanceDraft::from_settings(&settings);
    draft.details.variables.insert(long_key.clone(), "v".into());
    draft.details.variables.insert("<img src=x>".into(), "v".into());
    draft
        .authentication
        .fields
        .insert(long_key.clone(), conduit_types::draft::DraftField::Plain { value: "v".into() });
    let test = TestDraftRequest { base_version: settings.version, draft: draft.clone() };
    let save = SaveRequest { base_version: settings.version, draft, receipt: None, authorisation: None };
    for reply in [
        client.post(served.url(&format!("/instances/{id}/test"))).json(&test).send().await.unwrap(),
        client.put(served.url(&format!("/instances/{id}"))).json(&save).send().await.unwrap(),
    ] {
        let (status, _, error, text) = error_of(reply).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.len() < 2000, "{} characters came back", text.len());
        assert!(!text.contains("kkkkkkkkkk") && !text.contains("img"), "{text}");
        let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"variables") && fields.contains(&"authentication.method"), "{fields:?}");
    }
    served.stop().await;
}

// -- files on disk ---------------------------------------------------------------------

#[cfg(unix)]
#[tokio::test]
async fn the_embedded_database_and_its_directory_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let key = conduit_server::crypto::MasterKey::random();
    let store = Store::open_embedded(&dir, &key).await.unwrap();
    demo::seed_if_empty(&store, common::SANDBOX).await.unwrap();
    assert_eq!(mode(&dir), 0o700);
    let files = ["", "-wal", "-shm"].map(|suffix| dir.join(format!("{DB_FILE}{suffix}")));
    for file in &files {
        assert!(file.exists(), "{}", file.display());
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    store.close().await;

    // Files an older version left readable are tightened on the next start.
    for file in &files {
        if file.exists() {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let store = Store::open_embedded(&dir, &key).await.unwrap();
    assert_eq!(store.company_count().await.unwrap(), 1, "the data is still there");
    for file in files.iter().filter(|f| f.exists()) {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    store.close().await;
}
