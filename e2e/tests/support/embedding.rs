//! The embed tests' common steps: a host page with conduit's script that
//! records every `conduit:*` event it hears, reading those events, going
//! into the embedded iframe, a backend's JSON calls, and conduit started
//! with a host on another site allowed to embed it.

use std::time::Duration;

use serde_json::{json, Value};

use super::host::Host;
use super::{Browser, Server, DEMO_EMAIL, DEMO_PASSWORD, E2E_API_KEY};

pub const ELEMENT_IFRAME: &str = "conduit-instance-settings iframe";

/// A host page: `body` after conduit's script, and a record of every
/// `conduit:*` event the page hears (`window.heard`, newest last).
pub fn host_page(server: &Server, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>partner portal</title></head><body>
<h1>partner portal</h1>
<script type="module" src="{}"></script>
{body}
<script>
window.heard = [];
for (const name of ["ready", "resize", "dirty", "test", "saved", "session-expired", "error"]) {{
  document.addEventListener("conduit:" + name, (event) => window.heard.push({{ type: name, detail: event.detail }}));
}}
</script>
</body></html>"#,
        server.url("/embed/v1/conduit-embed.js")
    )
}

/// The events the host page heard so far.
pub async fn heard(browser: &Browser) -> Vec<Value> {
    browser.client.enter_parent_frame().await.unwrap();
    match browser.client.execute("return window.heard || []", vec![]).await.unwrap() {
        Value::Array(events) => events,
        other => panic!("window.heard is {other}"),
    }
}

/// Waits (at most a minute) for the host to hear an event matching `wanted`.
pub async fn hear(browser: &Browser, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..600 {
        if let Some(event) = heard(browser).await.into_iter().find(|e| wanted(e)) {
            return event;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the host never heard {what}: {:?}", heard(browser).await);
}

pub fn of_type(event: &Value, kind: &str) -> bool {
    event["type"] == kind
}

/// Goes into the first embedded iframe on the host page.
pub async fn enter_settings(browser: &Browser) {
    browser.client.enter_parent_frame().await.unwrap();
    let frame = browser.find("//conduit-instance-settings//iframe").await;
    frame.enter_frame().await.unwrap();
}

pub async fn script(browser: &Browser, js: &str) -> Value {
    browser.client.execute(js, vec![]).await.unwrap()
}

/// A backend's JSON call with a session cookie or a bearer token.
pub async fn call(method: &str, url: &str, auth: &[(&str, &str)], body: Option<Value>) -> (u16, Vec<String>, Value) {
    use axum::body::Body;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let mut request = axum::http::Request::builder().method(method).uri(url).header("content-type", "application/json");
    for (name, value) in auth {
        request = request.header(*name, *value);
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let client = Client::builder(TokioExecutor::new()).build_http::<Body>();
    let answer = client.request(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = answer.status().as_u16();
    let cookies = answer.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let bytes = axum::body::to_bytes(Body::new(answer.into_body()), 4 << 20).await.unwrap();
    (status, cookies, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// The demo user's session cookie, as `name=value`.
pub async fn sign_in(server: &Server) -> String {
    let body = json!({ "email": DEMO_EMAIL, "password": DEMO_PASSWORD });
    let (status, cookies, _) = call("POST", &server.url("/api/session"), &[], Some(body)).await;
    assert_eq!(status, 200, "the demo user signs in");
    cookies[0].split(';').next().unwrap().to_owned()
}

/// The id of the demo instance named `name`.
pub async fn instance_id(server: &Server, cookie: &str, name: &str) -> i64 {
    let (_, _, list) = call("GET", &server.url("/api/connectors"), &[("cookie", cookie)], None).await;
    list["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["instances"].as_array().unwrap())
        .find(|i| i["name"] == name)
        .and_then(|i| i["id"].as_i64())
        .expect("the demo has the instance")
}

/// conduit, and a host on another site allowed to embed it; the id of
/// the demo instance named `instance`.
pub async fn start(instance: &str, args: &[&str]) -> (Host, Server, i64) {
    let host = Host::start(E2E_API_KEY).await;
    let server = Server::start_embedding(&[&host.base], args).await;
    host.mint_at(&server.base);
    let cookie = sign_in(&server).await;
    let id = instance_id(&server, &cookie, instance).await;
    (host, server, id)
}

pub fn element(id: i64, session_url: &str) -> String {
    format!(r#"<conduit-instance-settings instance="{id}" session-url="{session_url}"></conduit-instance-settings>"#)
}

/// The iframe's height, once it equals the last `resize` the host heard.
pub async fn eventually_height(browser: &Browser) -> f64 {
    for _ in 0..200 {
        let events = heard(browser).await;
        let said = events.iter().rev().find(|e| of_type(e, "resize")).and_then(|e| e["detail"]["height"].as_f64());
        let js = format!("return document.querySelector('{ELEMENT_IFRAME}').getBoundingClientRect().height");
        let shown = script(browser, &js).await.as_f64().unwrap_or_default();
        if said.is_some_and(|h| (h - shown).abs() <= 1.0) {
            return shown;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the iframe never took the height its content said");
}

/// Runs `js` in the host page (not the iframe).
pub async fn on_host(browser: &Browser, js: &str) -> Value {
    browser.client.enter_parent_frame().await.unwrap();
    script(browser, js).await
}
