//! A person opens a process flow from an instance's settings, runs it now
//! and sees the run succeed with the instance's version; then changes the
//! instance's credentials (tested and saved in instance settings), runs the
//! flow again and sees the new version used. A local API on 127.0.0.1,
//! opened by `--egress-allow`, records the Authorization header of every
//! request, so the credentials each run sent are seen, old then new.

mod support;

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use support::{Browser, Server};
use tokio::net::TcpListener;

const INSTANCE: &str = "Sandbox - bearer token";
const FLOW: &str = "Warehouse stock check";
const FIRST: &str = "e2e-flow-token-one";
const SECOND: &str = "e2e-flow-token-two";

/// A third-party API answering `GET /bearer/me` with 200 and recording the
/// Authorization header of each request. Stops when dropped.
struct LocalApi {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LocalApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl LocalApi {
    async fn start() -> LocalApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(vec![]));
        let log = seen.clone();
        let app = Router::new().route(
            "/bearer/me",
            get(move |headers: HeaderMap| {
                let log = log.clone();
                async move {
                    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    log.lock().unwrap().push(auth.to_owned());
                    "{}"
                }
            }),
        );
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        LocalApi { port, seen, task }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// Runs the flow from its page and waits for the newest run to show the
/// instance's request with `version` and `succeeded`.
async fn run_now_and_see(browser: &Browser, version: u32) {
    browser.heading(1, FLOW).await;
    browser.button("run now").await.click().await.unwrap();
    let newest = "//section[.//h2[normalize-space()='recent runs']]//ol/li[1]";
    browser
        .find(&format!(
            "{newest}[contains(., 'succeeded')][contains(., 'run now')]\
             //li[contains(., '{INSTANCE} · version {version} · HTTP 200')]"
        ))
        .await;
}

/// From the instance's settings, opens the flow from the process flows card.
async fn open_flow(browser: &Browser) {
    browser.find(&format!("//section[@aria-labelledby='flows-heading']//a[normalize-space()='{FLOW}']")).await.click().await.unwrap();
    browser.heading(1, FLOW).await;
}

/// Replaces the token with `token`, tests and saves (naming the flows).
async fn save_token(browser: &Browser, token: &str) {
    // Marked "(unsaved changes)" once the base URL moved (the token must be given again).
    browser.find("//*[@role='tab'][starts-with(normalize-space(), 'authentication')]").await.click().await.unwrap();
    browser.control("replace").await.click().await.unwrap();
    browser.fill("new token", token).await;
    browser.button("test instance connection").await.click().await.unwrap();
    browser.heading(3, "connection test passed").await;
    browser.click_button("save instance settings").await;
    browser.find(&format!("//dialog[@open][contains(., '{FLOW}')]")).await;
    browser.button("save now").await.click().await.unwrap();
    browser.saved_notice().await;
}

#[tokio::test]
async fn a_flow_run_before_and_after_a_save_uses_the_old_then_the_new_credentials() {
    let api = LocalApi::start().await;
    let allow = format!("127.0.0.1:{}", api.port);
    // Only `run now` runs flows here, and no background check calls the local API.
    let server = Server::start_with(&["--egress-allow", &allow, "--flow-run-minutes", "0", "--health-check-minutes", "0"], &[]).await;
    let browser = Browser::start().await;

    // Version 1, as seeded, against the demo sandbox.
    browser.open_instance_settings(&server.base, INSTANCE).await;
    open_flow(&browser).await;
    browser.find("//p[contains(., 'runs only when you run it now')][contains(., '2 requests to each instance per run')]").await;
    browser.find("//*[contains(., 'no runs yet')]").await;
    run_now_and_see(&browser, 1).await;
    browser.snapshot("flow-run-version-1").await;
    assert!(api.seen().is_empty(), "the first run went to the sandbox");

    // Pointed at the local API with a new token: version 2.
    browser.find(&format!("//section[@aria-labelledby='flow-instances-heading']//a[normalize-space()='{INSTANCE}']")).await.click().await.unwrap();
    browser.heading(1, INSTANCE).await;
    browser.fill("base URL", &format!("http://127.0.0.1:{}/bearer", api.port)).await;
    save_token(&browser, FIRST).await;
    let tested = api.seen().len();
    open_flow(&browser).await;
    run_now_and_see(&browser, 2).await;
    let first_run: Vec<_> = api.seen()[tested..].to_vec();
    assert_eq!(first_run, [format!("Bearer {FIRST}"), format!("Bearer {FIRST}")], "the run sent the saved token");

    // The credentials changed again: the next run sends the new token, as version 3.
    browser.find(&format!("//section[@aria-labelledby='flow-instances-heading']//a[normalize-space()='{INSTANCE}']")).await.click().await.unwrap();
    browser.heading(1, INSTANCE).await;
    save_token(&browser, SECOND).await;
    let tested = api.seen().len();
    open_flow(&browser).await;
    run_now_and_see(&browser, 3).await;
    let second_run: Vec<_> = api.seen()[tested..].to_vec();
    assert_eq!(second_run, [format!("Bearer {SECOND}"), format!("Bearer {SECOND}")], "the run sent the new token");
    // The older runs still say which version they used.
    let runs = "//section[.//h2[normalize-space()='recent runs']]//ol/li";
    assert_eq!(browser.count(runs).await, 3);
    browser.find(&format!("{runs}[2]//li[contains(., '{INSTANCE} · version 2')]")).await;
    browser.find(&format!("{runs}[3]//li[contains(., '{INSTANCE} · version 1')]")).await;
    let page = browser.client.source().await.unwrap();
    assert!(!page.contains(FIRST) && !page.contains(SECOND), "no token on the page");
    browser.snapshot("flow-run-version-3").await;
    browser.close().await;
}
