//! API tests: the whole app in-process with `oneshot`, on every configured
//! database, plus one pass over a real socket.

mod common;

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use conduit_server::{app, demo};
use conduit_types::{ConnectorList, ErrorBody, ErrorCode, InstanceSettings, Me};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn error(&self) -> ErrorBody {
        assert_eq!(
            self.headers[header::CONTENT_TYPE], "application/json",
            "errors are JSON"
        );
        self.json()
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn call(app: &Router, method: Method, uri: &str, cookie: Option<&str>, body: Option<&str>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

fn login_body(email: &str, password: &str) -> String {
    serde_json::json!({ "email": email, "password": password }).to_string()
}

/// Signs in and returns the `name=value` of the session cookie.
async fn sign_in(app: &Router, email: &str, password: &str) -> String {
    let reply = call(app, Method::POST, "/api/session", None, Some(&login_body(email, password))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let set_cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

fn demo_instance(list: &ConnectorList, name: &str) -> i64 {
    list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == name).unwrap().id
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_refused_with_one_sentence() {
    for t in common::stores().await {
        common::seeded(&t.store).await;
        let app = app(common::state(t.store.clone(), PathBuf::from("missing")));
        for (email, password) in [(demo::EMAIL, "not-the-password"), ("nobody@northwind.example", demo::PASSWORD)] {
            let reply = call(&app, Method::POST, "/api/session", None, Some(&login_body(email, password))).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", t.name);
            assert!(reply.headers.get(header::SET_COOKIE).is_none());
            let error = reply.error();
            assert_eq!(error.code, ErrorCode::Unauthenticated);
            assert_eq!(error.message, "That email and password do not match an account.");
            assert!(!reply.text().contains(password), "the password is never echoed");
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn empty_sign_in_fields_are_named_in_the_error() {
    let t = common::sqlite().await;
    let app = app(common::state(t.store.clone(), PathBuf::from("missing")));
    let reply = call(&app, Method::POST, "/api/session", None, Some(&login_body(" ", ""))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = reply.error();
    assert_eq!(error.code, ErrorCode::Validation);
    let fields: Vec<_> = error.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
    assert_eq!(fields, [("email", "Enter your email address."), ("password", "Enter your password.")]);
}

#[tokio::test]
async fn malformed_requests_get_a_clear_bad_request() {
    let t = common::sqlite().await;
    let app = app(common::state(t.store.clone(), PathBuf::from("missing")));

    let reply = call(&app, Method::POST, "/api/session", None, Some(r#"{"email": "ada@"#)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error().message, "The request body is not valid JSON.");

    let reply = call(&app, Method::POST, "/api/session", None, Some(r#"{"email": "a", "password": 12345678}"#)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error().message, "The request body does not have the fields this request needs.");
    assert!(!reply.text().contains("12345678"), "submitted values are not echoed");

    let request = Request::post("/api/session").body(Body::from(login_body("a", "b"))).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(body.message.contains("Content-Type: application/json"), "{}", body.message);

    let reply = call(&app, Method::GET, "/api/no-such-thing", None, None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_api_needs_a_signed_in_user() {
    let t = common::sqlite().await;
    common::seeded(&t.store).await;
    let app = app(common::state(t.store.clone(), PathBuf::from("missing")));
    for uri in ["/api/me", "/api/connectors", "/api/instances/1"] {
        for cookie in [None, Some("conduit_session=forged")] {
            let reply = call(&app, Method::GET, uri, cookie, None).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri}");
            assert_eq!(reply.error().message, "Please sign in to continue.");
        }
    }
}

#[tokio::test]
async fn signing_in_sets_a_strict_session_cookie_and_signing_out_ends_it() {
    let t = common::sqlite().await;
    common::seeded(&t.store).await;
    let app = app(common::state(t.store.clone(), PathBuf::from("missing")));

    let reply = call(&app, Method::POST, "/api/session", None, Some(&login_body("ADA@northwind.example", demo::PASSWORD))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let me: Me = reply.json();
    assert_eq!(me.user.name, demo::USER_NAME);
    assert_eq!(me.company.name, demo::COMPANY);
    let set_cookie = reply.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("conduit_session="));
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP on loopback cannot use Secure cookies");
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");

    let cookie = set_cookie.split(';').next().unwrap();
    let reply = call(&app, Method::GET, "/api/me", Some(cookie), None).await;
    assert_eq!(reply.json::<Me>(), me);

    let reply = call(&app, Method::DELETE, "/api/session", Some(cookie), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let reply = call(&app, Method::GET, "/api/me", Some(cookie), None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "the old cookie no longer works");
}

#[tokio::test]
async fn the_cookie_is_secure_when_served_over_https() {
    let t = common::sqlite().await;
    common::seeded(&t.store).await;
    let app = app(common::state(t.store.clone(), PathBuf::from("missing")));
    let request = Request::post("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(login_body(demo::EMAIL, demo::PASSWORD)))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
}

#[tokio::test]
async fn each_company_sees_only_its_own_connectors_and_instances() {
    for t in common::stores().await {
        let other = common::seeded(&t.store).await;
        let app = app(common::state(t.store.clone(), PathBuf::from("missing")));
        let ada = sign_in(&app, demo::EMAIL, demo::PASSWORD).await;
        let hank = sign_in(&app, other.email, other.password).await;

        let list: ConnectorList = call(&app, Method::GET, "/api/connectors", Some(&ada), None).await.json();
        assert_eq!(list.connectors.len(), 4, "{}", t.name);
        let uk = demo_instance(&list, "Shopify - UK");

        let reply = call(&app, Method::GET, &format!("/api/instances/{uk}"), Some(&ada), None).await;
        assert_eq!(reply.status, StatusCode::OK);
        let settings: InstanceSettings = reply.json();
        assert_eq!(settings.details.name, "Shopify - UK");
        assert_eq!(settings.process_flows.len(), 2);

        // Another company's id and an unknown id answer the same 404.
        let foreign = call(&app, Method::GET, &format!("/api/instances/{}", other.instance_id), Some(&ada), None).await;
        let unknown = call(&app, Method::GET, "/api/instances/987654", Some(&ada), None).await;
        for reply in [&foreign, &unknown] {
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", t.name);
            assert_eq!(reply.error().message, "There is no instance with that id.");
        }
        assert_eq!(foreign.body, unknown.body);
        let reply = call(&app, Method::GET, &format!("/api/instances/{uk}"), Some(&hank), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);

        let hanks: ConnectorList = call(&app, Method::GET, "/api/connectors", Some(&hank), None).await.json();
        let names: Vec<_> = hanks.connectors.iter().flat_map(|c| &c.instances).map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Globex Shopify"]);

        let reply = call(&app, Method::GET, "/api/instances/not-a-number", Some(&ada), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.error().message, "The address names an id that is not valid.");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn deep_links_get_the_dashboard_and_assets_are_served() {
    let t = common::sqlite().await;
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>conduit</title>").unwrap();
    std::fs::write(dist.path().join("app.css"), "body{}").unwrap();
    let app = app(common::state(t.store.clone(), dist.path().to_owned()));

    for path in ["/", "/connectors", "/instances/3/settings/authentication"] {
        let reply = call(&app, Method::GET, path, None, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.text().contains("<title>conduit</title>"), "{path}");
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    }
    let reply = call(&app, Method::GET, "/app.css", None, None).await;
    assert_eq!(reply.text(), "body{}");
    // API paths never fall back to the dashboard.
    let reply = call(&app, Method::GET, "/api/instances", None, None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_server_answers_over_a_real_socket_and_stops_gracefully() {
    let t = common::sqlite().await;
    common::seeded(&t.store).await;
    let state = common::state(t.store.clone(), PathBuf::from("missing"));
    let mut config = (*state.config).clone();
    config.port = 0;
    let (listener, addr) = conduit_server::bind(&config).await.unwrap();
    assert!(addr.ip().is_loopback());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(conduit_server::serve(listener, state, async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let base = format!("http://{addr}/api");
    let reply = client
        .post(format!("{base}/session"))
        .json(&serde_json::json!({"email": demo::EMAIL, "password": demo::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let list: ConnectorList = client.get(format!("{base}/connectors")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.connectors.len(), 4);
    let reply = client.post(format!("{base}/session")).body("{").header("content-type", "application/json").send().await.unwrap();
    assert_eq!(reply.status(), 400);
    assert_eq!(reply.json::<ErrorBody>().await.unwrap().code, ErrorCode::BadRequest);

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops after the shutdown signal")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "nothing listens any more");
}
