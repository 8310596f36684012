//! The sample partner portal as `scripts/run.sh` runs it: conduit in demo mode
//! with the portal's key and origin, the `demo-portal` binary on another site
//! (localhost), its page with two `<conduit-instance-settings>` elements and a
//! session endpoint that works through the browser's fetch. And the harness
//! itself: the browser that blocks third-party cookies does block them.

mod support;

use std::time::Duration;

use support::host::Host;
use support::*;
use tokio::process::Command;

/// The portal binary: `CONDUIT_PORTAL_BIN`, or `demo-portal` beside the
/// server binary (cargo builds both).
fn portal_bin() -> std::path::PathBuf {
    std::env::var_os("CONDUIT_PORTAL_BIN").map(Into::into).unwrap_or_else(|| {
        let server = std::env::var("CONDUIT_SERVER_BIN").expect("CONDUIT_SERVER_BIN names the server binary (scripts/test.sh sets it)");
        std::path::Path::new(&server).with_file_name("demo-portal")
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `fetch(path, …)` from the page as the element's default fetchSession
/// does it; `[status, body as JSON]`.
async fn page_fetch(browser: &Browser, path: &str, instance: i64) -> (u64, serde_json::Value) {
    let script = r#"
        const [path, instance, done] = arguments;
        fetch(path, { method: "POST", credentials: "same-origin",
                      headers: { "Content-Type": "application/json", Accept: "application/json" },
                      body: JSON.stringify({ instance }) })
          .then(async r => done([r.status, await r.json()]), e => done([0, String(e)]));
    "#;
    let answer = browser.client.execute_async(script, vec![path.into(), instance.into()]).await.unwrap();
    (answer[0].as_u64().unwrap(), answer[1].clone())
}

#[tokio::test]
async fn the_demo_portal_embeds_two_instances_and_mints_sessions_through_the_browser() {
    let port = free_port();
    let origin = format!("http://localhost:{port}");
    let server = Server::start_embedding(&[&origin], &[]).await;
    let mut portal = Command::new(portal_bin());
    portal.args(["--conduit", &server.base, "--port", &port.to_string()]).env("CONDUIT_DEMO_API_KEY", E2E_API_KEY);
    let (_portal, portal_base) = spawn_listening(portal, "partner portal is listening on ").await;
    assert_eq!(portal_base, origin);

    let browser = Browser::start().await;
    browser.goto(&format!("{origin}/")).await;
    browser.heading(1, "partner portal").await;
    assert_eq!(browser.count("//conduit-instance-settings[@session-url='/conduit-session']").await, 2);
    assert_eq!(browser.count("//conduit-instance-settings[@instance='7'] | //conduit-instance-settings[@instance='10']").await, 2);
    browser.find("//ol[@role='log']").await;

    let (status, answer) = page_fetch(&browser, "/conduit-session", 7).await;
    assert_eq!(status, 201, "{answer}");
    assert!(answer["secret"].as_str().is_some_and(|s| s.starts_with("cs_")), "{answer}");
    let (status, answer) = page_fetch(&browser, "/conduit-session", 1).await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")), "{answer}");

    // The page's event log shows what the elements dispatch, with its detail.
    let element = browser.find("//conduit-instance-settings[@instance='10']").await;
    let dispatch = "arguments[0].dispatchEvent(new CustomEvent('conduit:dirty', { bubbles: true, composed: true, detail: { dirty: true } }))";
    browser.client.execute(dispatch, vec![serde_json::to_value(&element).unwrap()]).await.unwrap();
    browser.find(r#"//ol[@role='log']/li[contains(., 'instance 10: conduit:dirty {"dirty":true}')]"#).await;

    // Needs the lead's embed script (public/embed/v1/conduit-embed.js) and the
    // dashboard's embed mode: until they are merged, this part fails. Both
    // elements load their settings and say so in the page's event log.
    for instance in [7, 10] {
        browser.find(&format!("//ol[@role='log']/li[contains(., 'instance {instance}: conduit:ready')]")).await;
    }
    browser.snapshot("embed-portal").await;
    browser.close().await;
}

#[tokio::test]
async fn the_test_host_mints_sessions_with_the_permissions_asked_and_fails_when_told() {
    let host = Host::start(E2E_API_KEY).await;
    let server = Server::start_embedding(&[host.origin()], &[]).await;
    host.mint_at(&server.base);
    host.page("/blank.html", "<!doctype html><title>blank</title><h1>blank</h1>");
    let browser = Browser::start().await;
    browser.goto(&host.url("/blank.html")).await;
    browser.heading(1, "blank").await;

    let (status, answer) = page_fetch(&browser, "/session?permissions=view,test", 7).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(host.session_calls(), 1);
    let exchange = serde_json::json!({"secret": answer["secret"], "origin": host.origin()});
    let (status, token) = support::host::post_json(&server.url("/api/embed/exchange"), None, &exchange).await;
    assert_eq!(status, 200, "{token}");
    assert_eq!((token["instance"].as_i64(), token["origin"].as_str()), (Some(7), Some(host.origin())));
    assert_eq!(token["permissions"], serde_json::json!(["view", "test"]));

    host.fail_sessions(true);
    let (status, answer) = page_fetch(&browser, "/session", 7).await;
    assert_eq!((status, answer["code"].as_str()), (503, Some("unavailable")), "{answer}");
    assert_eq!(host.session_calls(), 2);
    host.fail_sessions(false);
    let (status, answer) = page_fetch(&browser, "/session", 10).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(host.session_calls(), 3);
    browser.close().await;
}

/// A page on the host (localhost) framing `src`, a page of the host reached
/// as another site (127.0.0.1), which sets a cookie and shows what it reads.
const FRAMING: &str = r#"<!doctype html><title>framing</title><h1>host</h1><iframe title="probe" src="{src}"></iframe>"#;
const PROBE: &str = r#"<!doctype html><title>probe</title><p id="cookie">reading</p>
<script>document.cookie = "probe=1; SameSite=None; Secure; Path=/"; document.getElementById("cookie").textContent = "cookie: [" + document.cookie + "]";</script>"#;

async fn cookie_in_frame(browser: &Browser, host: &Host) -> String {
    browser.goto(&host.url("/framing.html")).await;
    browser.heading(1, "host").await;
    browser.client.clone().enter_frame(0).await.unwrap();
    let text = browser.find("//p[@id='cookie'][starts-with(., 'cookie: ')]").await.text().await.unwrap();
    browser.client.clone().enter_parent_frame().await.unwrap();
    text
}

#[tokio::test]
async fn the_browser_that_blocks_third_party_cookies_gives_a_cross_site_frame_none() {
    let host = Host::start(E2E_API_KEY).await;
    host.page("/framing.html", FRAMING.replace("{src}", &format!("{}/probe.html", host.other_site)));
    host.page("/probe.html", PROBE);

    let open = Browser::start_allowing_third_party_cookies().await;
    assert_eq!(cookie_in_frame(&open, &host).await, "cookie: [probe=1]", "a browser allowing them keeps the frame's cookie");
    open.close().await;

    let blocking = Browser::start_blocking_third_party_cookies().await;
    assert_eq!(cookie_in_frame(&blocking, &host).await, "cookie: []", "the frame's cookie is blocked");
    // The same page as a first party keeps its cookie.
    blocking.goto(&format!("{}/probe.html", host.other_site)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(blocking.find("//p[@id='cookie']").await.text().await.unwrap(), "cookie: [probe=1]");
    blocking.close().await;
}

