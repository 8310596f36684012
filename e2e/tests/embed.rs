//! A partner portal embeds an instance's settings, as a host integrates:
//! its page (on another site than conduit, in a browser that blocks
//! third-party cookies) has the three lines of HTML, its backend mints
//! sessions with an API key. The settings mount, grow with their content,
//! a credential is changed, tested and saved with the host hearing each
//! step, the session renews under an open draft, `destroy()` leaves
//! nothing behind; a page on an unlisted origin can neither frame the
//! settings nor talk to them, a used secret and a revoked key start
//! nothing, and a session without credential permission cannot change
//! credentials, in the page or through the API.

mod support;

use std::time::Duration;

use conduit_server::demo::sandbox;
use serde_json::{json, Value};
use support::host::{post_json, Host, HOST_USER};
use support::{Browser, Server, DEMO_EMAIL, DEMO_PASSWORD, E2E_API_KEY};

const INSTANCE: &str = "Carrier rates API";
const ELEMENT_IFRAME: &str = "conduit-instance-settings iframe";

/// A host page: `body` after conduit's script, and a record of every
/// `conduit:*` event the page hears (`window.heard`, newest last).
fn host_page(server: &Server, body: &str) -> String {
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
async fn heard(browser: &Browser) -> Vec<Value> {
    browser.client.enter_parent_frame().await.unwrap();
    match browser.client.execute("return window.heard || []", vec![]).await.unwrap() {
        Value::Array(events) => events,
        other => panic!("window.heard is {other}"),
    }
}

/// Waits (at most a minute) for the host to hear an event matching `wanted`.
async fn hear(browser: &Browser, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..600 {
        if let Some(event) = heard(browser).await.into_iter().find(|e| wanted(e)) {
            return event;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the host never heard {what}: {:?}", heard(browser).await);
}

fn of_type(event: &Value, kind: &str) -> bool {
    event["type"] == kind
}

/// Goes into the first embedded iframe on the host page.
async fn enter_settings(browser: &Browser) {
    browser.client.enter_parent_frame().await.unwrap();
    let frame = browser.find("//conduit-instance-settings//iframe").await;
    frame.enter_frame().await.unwrap();
}

async fn script(browser: &Browser, js: &str) -> Value {
    browser.client.execute(js, vec![]).await.unwrap()
}

/// A backend's JSON call with a session cookie or a bearer token.
async fn call(method: &str, url: &str, auth: &[(&str, &str)], body: Option<Value>) -> (u16, Vec<String>, Value) {
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
async fn sign_in(server: &Server) -> String {
    let body = json!({ "email": DEMO_EMAIL, "password": DEMO_PASSWORD });
    let (status, cookies, _) = call("POST", &server.url("/api/session"), &[], Some(body)).await;
    assert_eq!(status, 200, "the demo user signs in");
    cookies[0].split(';').next().unwrap().to_owned()
}

/// The id of the demo instance named `name`.
async fn instance_id(server: &Server, cookie: &str) -> i64 {
    let (_, _, list) = call("GET", &server.url("/api/connectors"), &[("cookie", cookie)], None).await;
    list["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["instances"].as_array().unwrap())
        .find(|i| i["name"] == INSTANCE)
        .and_then(|i| i["id"].as_i64())
        .expect("the demo has the instance")
}

/// conduit, and a host on another site allowed to embed it.
async fn start(args: &[&str]) -> (Host, Server, i64) {
    let host = Host::start(E2E_API_KEY).await;
    let server = Server::start_embedding(&[&host.base], args).await;
    host.mint_at(&server.base);
    let cookie = sign_in(&server).await;
    let id = instance_id(&server, &cookie).await;
    (host, server, id)
}

fn element(id: i64, session_url: &str) -> String {
    format!(r#"<conduit-instance-settings instance="{id}" session-url="{session_url}"></conduit-instance-settings>"#)
}

#[tokio::test]
async fn the_three_lines_mount_the_settings_which_grow_test_and_save_with_the_host_hearing_each_step() {
    let (host, server, id) = start(&[]).await;
    host.page("/", host_page(&server, &element(id, "/session")));
    let browser = Browser::start_blocking_third_party_cookies().await;
    browser.goto(&host.url("/")).await;

    hear(&browser, "ready", |e| of_type(e, "ready")).await;
    // The iframe is as tall as its content, which it says in `resize`.
    let height = eventually_height(&browser).await;
    assert!(height > 400.0, "the settings are taller than a default iframe: {height}");
    enter_settings(&browser).await;
    browser.heading(1, INSTANCE).await;
    browser.text(&format!("{HOST_USER} · through {}", host.base)).await;
    let scroll = script(&browser, "return document.documentElement.scrollHeight - window.innerHeight").await;
    assert!(scroll.as_f64().unwrap() <= 1.0, "no second scrollbar: {scroll}");
    assert_eq!(script(&browser, "return document.cookie").await, "", "the embedded page has no cookie");

    // A credential: changed (the host hears the draft is dirty), tested
    // wrong then right (the host hears each outcome), and saved.
    browser.tab("authentication").await.click().await.unwrap();
    browser.control("replace").await.click().await.unwrap();
    browser.fill("new client secret", "not-the-secret").await;
    hear(&browser, "dirty", |e| of_type(e, "dirty") && e["detail"]["dirty"] == true).await;
    enter_settings(&browser).await;
    browser.click_button("test instance connection").await;
    hear(&browser, "a started test", |e| of_type(e, "test") && e["detail"]["state"] == "started").await;
    let failed = hear(&browser, "a failed test", |e| of_type(e, "test") && e["detail"]["state"] == "failed").await;
    assert!(failed["detail"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{failed}");

    enter_settings(&browser).await;
    browser.fill("new client secret", sandbox::CLIENT_SECRET).await;
    browser.click_button("test instance connection").await;
    hear(&browser, "a passed test", |e| of_type(e, "test") && e["detail"]["state"] == "passed").await;
    enter_settings(&browser).await;
    browser.wait_enabled("save instance settings", true).await;
    browser.click_button("save instance settings").await;
    confirm_save_if_asked(&browser).await;
    let saved = hear(&browser, "saved", |e| of_type(e, "saved")).await;
    assert!(saved["detail"]["version"].as_i64().is_some_and(|v| v > 1), "{saved}");
    hear(&browser, "clean again", |e| of_type(e, "dirty") && e["detail"]["dirty"] == false).await;

    // The history names the host's user, through the host's site.
    enter_settings(&browser).await;
    let who = format!("{HOST_USER} via {}", host.base.trim_start_matches("http://"));
    browser.find(&format!("//section[.//h2[normalize-space()='history']]//li[contains(., 'saved')][contains(., '{who}')]")).await;

    // No event ever carried the secret.
    let all = Value::Array(heard(&browser).await).to_string();
    assert!(!all.contains(sandbox::CLIENT_SECRET) && !all.contains("cs_") && !all.contains("ct_"), "{all}");
}

/// The iframe's height, once it equals the last `resize` the host heard.
async fn eventually_height(browser: &Browser) -> f64 {
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

/// An instance used by process flows asks before saving: yes.
async fn confirm_save_if_asked(browser: &Browser) {
    let dialogs = browser.count("//dialog[@open]").await;
    if dialogs > 0 {
        browser.find("//dialog[@open]//button[contains(., 'save')]").await.click().await.unwrap();
    }
}

#[tokio::test]
async fn the_session_renews_under_an_open_draft_without_losing_it() {
    // Tokens live 30 s: the page asks its host for a fresh session after 20.
    let (host, server, id) = start(&["--embed-token-seconds", "30"]).await;
    host.page("/", host_page(&server, &element(id, "/session")));
    let browser = Browser::start_blocking_third_party_cookies().await;
    browser.goto(&host.url("/")).await;
    hear(&browser, "ready", |e| of_type(e, "ready")).await;
    enter_settings(&browser).await;
    browser.fill("name", "Carrier rates API (renewed)").await;

    for _ in 0..600 {
        if host.session_calls() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(host.session_calls() >= 2, "the page asked its host for a fresh session");
    // Past the first token's life: only the renewed one can save.
    tokio::time::sleep(Duration::from_secs(12)).await;
    enter_settings(&browser).await;
    browser.wait_value("name", "Carrier rates API (renewed)").await;
    browser.click_button("save instance settings").await;
    confirm_save_if_asked(&browser).await;
    hear(&browser, "saved", |e| of_type(e, "saved")).await;
    let expired = heard(&browser).await.into_iter().any(|e| of_type(&e, "session-expired"));
    assert!(!expired, "the session never ended");
}

#[tokio::test]
async fn mount_replaces_a_mount_of_the_same_element_and_destroy_leaves_nothing() {
    let (host, server, id) = start(&[]).await;
    let body = format!(
        r#"<div id="one"></div><div id="two"></div>
<script type="module">
import {{ mount }} from "{script}";
const fetchSession = () => fetch("/session", {{ method: "POST", body: JSON.stringify({{ instance: {id} }}) }}).then((r) => r.json());
window.seen = [];
const onEvent = (name) => window.seen.push(name);
const one = document.getElementById("one");
mount(one, {{ instance: {id}, fetchSession, onEvent }});
window.first = mount(one, {{ instance: {id}, fetchSession, onEvent }});
window.second = mount(document.getElementById("two"), {{ instance: {id}, fetchSession }});
</script>"#,
        script = server.url("/embed/v1/conduit-embed.js")
    );
    host.page("/", host_page(&server, &body));
    let browser = Browser::start_blocking_third_party_cookies().await;
    browser.goto(&host.url("/")).await;
    for _ in 0..300 {
        if script(&browser, "return window.seen.filter((n) => n === 'ready').length").await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let frames = |selector: &str| format!("return document.querySelectorAll('{selector} iframe').length");
    assert_eq!(script(&browser, &frames("#one")).await, 1, "a second mount replaced the first");
    assert_eq!(script(&browser, &frames("#two")).await, 1);

    script(&browser, "window.first.destroy(); window.seenAtDestroy = window.seen.length; return null").await;
    assert_eq!(script(&browser, &frames("#one")).await, 0, "destroy removed the iframe");
    assert_eq!(script(&browser, "return document.getElementById('one').childElementCount").await, 0);
    // Nothing of it is left listening: its commands go nowhere and it says nothing more.
    script(&browser, "window.first.requestSave(); window.first.update({ appearance: { colorPrimary: '#123456' } }); return null").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(script(&browser, "return window.seen.length - window.seenAtDestroy").await, 0);
    assert_eq!(script(&browser, &frames("#two")).await, 1, "the other mount stays");
    assert_eq!(script(&browser, "return document.querySelectorAll('iframe').length").await, 1);
}

#[tokio::test]
async fn a_page_on_an_unlisted_origin_cannot_frame_the_settings_nor_talk_to_them() {
    let (host, server, id) = start(&[]).await;
    let stranger = Host::start(E2E_API_KEY).await;
    stranger.mint_at(&server.base);
    // A valid secret, minted for the listed host's page.
    let (status, secret) = post_json(
        &server.url("/api/embed/sessions"),
        Some(E2E_API_KEY),
        &json!({ "instance": id, "origin": host.base, "user_name": "Eve", "permissions": ["view", "edit_credentials"] }),
    )
    .await;
    assert_eq!(status.as_u16(), 201);
    let embed = server.url(&format!("/embed/{}/instances/{id}/settings/details", secret["company"]));
    let talk = |target: &str| {
        format!(
            r#"<script type="module">
window.answers = 0;
const target = {target};
const offer = () => {{
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {{ window.answers += 1; channel.port1.postMessage({{ type: "session", secret: "{secret}" }}); }};
  try {{ target().postMessage({{ type: "conduit:connect" }}, "{origin}", [channel.port2]); }} catch (e) {{}}
}};
setInterval(offer, 100);
</script>"#,
            secret = secret["secret"].as_str().unwrap(),
            origin = server.base,
        )
    };
    // Framed: the browser refuses (frame-ancestors), and nothing answers.
    let framed = format!(r#"<iframe id="f" title="settings" src="{embed}"></iframe>{}"#, talk("() => document.getElementById('f').contentWindow"));
    stranger.page("/framed", host_page(&server, &framed));
    let browser = Browser::start_blocking_third_party_cookies().await;
    browser.goto(&stranger.url("/framed")).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(script(&browser, "return window.answers").await, 0, "the framed page never answered");
    browser.find("//iframe[@id='f']").await.enter_frame().await.unwrap();
    assert!(!browser.shows_anywhere(INSTANCE).await, "no settings in the refused frame");
    browser.client.enter_parent_frame().await.unwrap();

    // Opened as a window instead: it is not framed, so it listens to nobody.
    let opened = format!(
        r#"<button id="open" type="button">open</button>{}
<script>document.getElementById("open").onclick = () => {{ window.w = window.open("{embed}", "settings"); }};</script>"#,
        talk("() => window.w")
    );
    stranger.page("/opened", host_page(&server, &opened));
    browser.goto(&stranger.url("/opened")).await;
    browser.find("//button[@id='open']").await.click().await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(script(&browser, "return window.answers").await, 0, "the opened page never answered");
    let windows = browser.client.windows().await.unwrap();
    browser.client.switch_to_window(windows.last().unwrap().clone()).await.unwrap();
    browser.text("shown inside a partner's portal").await;
    assert!(!browser.shows_anywhere(INSTANCE).await);

    // Its own backend cannot start a session for its origin either.
    let (status, _) = post_json(
        &server.url("/api/embed/sessions"),
        Some(E2E_API_KEY),
        &json!({ "instance": id, "origin": stranger.base, "user_name": "Eve", "permissions": ["view"] }),
    )
    .await;
    assert!(status.is_client_error(), "an unlisted origin gets no session: {status}");
}

#[tokio::test]
async fn a_used_secret_and_a_revoked_key_start_nothing_and_a_narrow_session_cannot_change_credentials() {
    let (host, server, id) = start(&[]).await;
    let browser = Browser::start_blocking_third_party_cookies().await;

    // A secret already traded for a token is refused when the page trades it.
    let mint = json!({ "instance": id, "origin": host.base, "user_name": HOST_USER, "permissions": ["view"] });
    let (_, session) = post_json(&server.url("/api/embed/sessions"), Some(E2E_API_KEY), &mint).await;
    let exchange = json!({ "secret": session["secret"], "origin": host.base });
    let (status, _) = post_json(&server.url("/api/embed/exchange"), None, &exchange).await;
    assert_eq!(status.as_u16(), 200);
    let used = format!(
        r#"<div id="used"></div><script type="module">
import {{ mount }} from "{}";
mount(document.getElementById("used"), {{ instance: {id}, fetchSession: async () => ({session}) }});
</script>"#,
        server.url("/embed/v1/conduit-embed.js")
    );
    host.page("/used", host_page(&server, &used));
    browser.goto(&host.url("/used")).await;
    let error = hear(&browser, "an error", |e| of_type(e, "error")).await;
    assert!(error["detail"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
    browser.find("//div[@id='used']//iframe").await.enter_frame().await.unwrap();
    browser.text("the instance settings cannot be shown").await;
    assert!(!browser.shows_anywhere(INSTANCE).await);

    // A session without credential permission: the authentication tab is
    // locked in the page, and the API refuses a credential change.
    host.page("/narrow", host_page(&server, &element(id, "/session?permissions=view,edit_details,test")));
    browser.goto(&host.url("/narrow")).await;
    hear(&browser, "ready", |e| of_type(e, "ready")).await;
    enter_settings(&browser).await;
    browser.tab("authentication").await.click().await.unwrap();
    browser.text("You can see these settings here, but not change them.").await;
    browser.control("replace").await;
    let off = script(&browser, "const inputs = [...document.querySelectorAll('fieldset.panel-locked input')]; return inputs.length > 0 && inputs.every((i) => i.matches(':disabled'))").await;
    assert_eq!(off, true, "the controls are off");

    let mint = json!({ "instance": id, "origin": host.base, "user_name": HOST_USER, "permissions": ["view", "edit_details", "test"] });
    let (_, session) = post_json(&server.url("/api/embed/sessions"), Some(E2E_API_KEY), &mint).await;
    let exchange = json!({ "secret": session["secret"], "origin": host.base });
    let (_, token) = post_json(&server.url("/api/embed/exchange"), None, &exchange).await;
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    let auth = [("authorization", bearer.as_str())];
    let (_, _, settings) = call("GET", &server.url(&format!("/api/instances/{id}")), &auth, None).await;
    let settings: conduit_types::InstanceSettings = serde_json::from_value(settings).expect("the settings");
    let mut draft = conduit_types::draft::InstanceDraft::from_settings(&settings);
    draft.authentication.fields.insert(
        "client_secret".into(),
        conduit_types::draft::DraftField::Replace { value: sandbox::CLIENT_SECRET.into() },
    );
    let test = json!({ "base_version": settings.version, "draft": draft });
    let (status, _, answer) = call("POST", &server.url(&format!("/api/instances/{id}/test")), &auth, Some(test)).await;
    assert_eq!(status, 403, "a credential change is refused: {answer}");
    let save = json!({ "base_version": settings.version, "draft": draft });
    let (status, _, answer) = call("PUT", &server.url(&format!("/api/instances/{id}")), &auth, Some(save)).await;
    assert_eq!(status, 403, "a credential change is refused: {answer}");

    // A revoked key mints nothing, so the element starts nothing.
    let cookie = sign_in(&server).await;
    let (_, _, developer) = call("GET", &server.url("/api/developer"), &[("cookie", &cookie)], None).await;
    let key = developer["keys"][0]["id"].as_i64().unwrap();
    let (status, _, _) = call("DELETE", &server.url(&format!("/api/developer/keys/{key}")), &[("cookie", &cookie)], None).await;
    assert_eq!(status, 204);
    let (status, _) = post_json(&server.url("/api/embed/sessions"), Some(E2E_API_KEY), &mint).await;
    assert_eq!(status.as_u16(), 401, "a revoked key mints nothing");
    host.page("/revoked", host_page(&server, &element(id, "/session")));
    browser.goto(&host.url("/revoked")).await;
    hear(&browser, "an error", |e| of_type(e, "error")).await;
    assert_eq!(script(&browser, &format!("return document.querySelectorAll('{ELEMENT_IFRAME}').length")).await, 0);
}
