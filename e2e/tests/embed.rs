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
use support::embedding::*;
use support::host::{post_json, Host, HOST_USER};
use support::{Browser, E2E_API_KEY};

const INSTANCE: &str = "Carrier rates API";

#[tokio::test]
async fn the_three_lines_mount_the_settings_which_grow_test_and_save_with_the_host_hearing_each_step() {
    let (host, server, id) = start(INSTANCE, &[]).await;
    // Themed by attributes: a valid colour, and a font that is really CSS.
    let themed = element(id, "/session")
        .replace("<conduit-instance-settings ", r##"<conduit-instance-settings color-primary="#0A7D4F" font-family="x; } body { display: none" "##);
    host.page("/", host_page(&server, &themed));
    let browser = Browser::start_blocking_third_party_cookies().await;
    browser.goto(&host.url("/")).await;

    hear(&browser, "ready", |e| of_type(e, "ready")).await;
    let ignored = hear(&browser, "the ignored font", |e| of_type(e, "error")).await;
    let sentence = ignored["detail"]["message"].as_str().unwrap();
    assert!(sentence.contains("fontFamily") && !sentence.contains("display"), "{sentence}");
    // The iframe is as tall as its content, which it says in `resize`.
    let height = eventually_height(&browser).await;
    assert!(height > 400.0, "the settings are taller than a default iframe: {height}");
    enter_settings(&browser).await;
    browser.heading(1, INSTANCE).await;
    browser.text(&format!("{HOST_USER} · through {}", host.base)).await;
    let brand = script(&browser, "return getComputedStyle(document.documentElement).getPropertyValue('--color-brand').trim()").await;
    assert_eq!(brand, "#0a7d4f", "the host's colour is the page's");
    let font = script(&browser, "return getComputedStyle(document.body).fontFamily").await;
    assert!(!font.as_str().unwrap().contains("display"), "{font}");
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
    browser.confirm_save().await;
    let saved = hear(&browser, "saved", |e| of_type(e, "saved")).await;
    assert!(saved["detail"]["version"].as_i64().is_some_and(|v| v > 1), "{saved}");
    hear(&browser, "clean again", |e| of_type(e, "dirty") && e["detail"]["dirty"] == false).await;

    // The history names the host's user, through the host's site.
    enter_settings(&browser).await;
    let who = format!("{HOST_USER} via {}", host.base.trim_start_matches("http://"));
    browser.find(&format!("//section[.//h2[normalize-space()='history']]//li[contains(., 'saved')][contains(., '{who}')]")).await;

    // The host discards an edit: the draft is the saved settings again.
    browser.tab("instance details").await.click().await.unwrap();
    browser.fill("name", "Carrier rates API (draft)").await;
    let dirty_events = |events: &[Value]| events.iter().filter(|e| of_type(e, "dirty")).count();
    let before = dirty_events(&heard(&browser).await);
    hear(&browser, "dirty again", |e| of_type(e, "dirty") && e["detail"]["dirty"] == true).await;
    on_host(&browser, "document.querySelector('conduit-instance-settings').discard(); return null").await;
    for _ in 0..100 {
        if dirty_events(&heard(&browser).await) >= before + 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let events = heard(&browser).await;
    assert_eq!(events.iter().rev().find(|e| of_type(e, "dirty")).unwrap()["detail"]["dirty"], false, "{events:?}");
    enter_settings(&browser).await;
    browser.wait_value("name", INSTANCE).await;

    // No event ever carried the secret.
    let all = Value::Array(heard(&browser).await).to_string();
    assert!(!all.contains(sandbox::CLIENT_SECRET) && !all.contains("cs_") && !all.contains("ct_"), "{all}");
}



#[tokio::test]
async fn the_session_renews_under_an_open_draft_without_losing_it() {
    // Tokens live 30 s: the page asks its host for a fresh session after 20.
    let (host, server, id) = start(INSTANCE, &["--embed-token-seconds", "30"]).await;
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
    // The host asks for the save, as if the button was pressed.
    on_host(&browser, "document.querySelector('conduit-instance-settings').requestSave(); return null").await;
    enter_settings(&browser).await;
    browser.confirm_save().await;
    hear(&browser, "saved", |e| of_type(e, "saved")).await;
    let expired = heard(&browser).await.into_iter().any(|e| of_type(&e, "session-expired"));
    assert!(!expired, "the session never ended");
}

#[tokio::test]
async fn mount_replaces_a_mount_of_the_same_element_and_destroy_leaves_nothing() {
    let (host, server, id) = start(INSTANCE, &[]).await;
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
    let (host, server, id) = start(INSTANCE, &[]).await;
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
    let (host, server, id) = start(INSTANCE, &[]).await;
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
