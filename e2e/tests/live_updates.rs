//! Open pages stay current: two people of Northwind Trading in two
//! browsers. What Ada does (save, test) reaches Charles's open `manage
//! connectors` and `instance settings` pages without a reload: the row's
//! name and badge, the header's badge, who saved in a notice, the history,
//! and a conflict over Charles's own edits before he tries to save.
//!
//! The instance is pointed at a small local API (allowed by
//! `--egress-allow`) that the test can make refuse every request, so a
//! test of the saved connection changes its status on cue.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use conduit_server::demo::{sandbox, SECOND_EMAIL};
use support::{Browser, Server, DEMO_PASSWORD};

const INSTANCE: &str = "Warehouse API";

/// A local API that accepts every request while `accepting` is set and
/// refuses it (401) otherwise; its port.
async fn local_api(accepting: Arc<AtomicBool>) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new().fallback(move || {
        let accepting = accepting.clone();
        async move { if accepting.load(Ordering::SeqCst) { StatusCode::OK } else { StatusCode::UNAUTHORIZED } }
    });
    let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, task)
}

/// The badge in the row of the instance named `name` on `manage connectors`.
fn row_badge(name: &str, status: &str) -> String {
    format!("//li[.//a[@aria-label='settings for {name}']]//span[contains(@class, 'badge')][normalize-space()='{status}']")
}

/// Opens the tab whose name starts with `name` (it may say it holds edits).
async fn open_tab(browser: &Browser, name: &str) {
    browser.find(&format!("//*[@role='tab'][starts-with(normalize-space(), '{name}')]")).await.click().await.unwrap();
}

fn header_badge(status: &str) -> String {
    format!("//header[contains(@class, 'page-header')]//span[contains(@class, 'badge')][normalize-space()='{status}']")
}

fn live_notice(text: &str) -> String {
    format!("//*[@role='status'][contains(@class, 'live-notice')][contains(., \"{text}\")]")
}

#[tokio::test]
async fn a_second_window_sees_saves_tests_and_status_changes_without_reloading() {
    let accepting = Arc::new(AtomicBool::new(true));
    let (port, api) = local_api(accepting.clone()).await;
    let allow = format!("127.0.0.1:{port}");
    let server = Server::start_with(&["--egress-allow", &allow], &[]).await;
    let ada = Browser::start().await;
    let charles = Browser::start().await;

    // Charles watches manage connectors; Ada opens the instance.
    charles.goto(&server.url("/connectors")).await;
    charles.heading(1, "sign in").await;
    charles.sign_in(SECOND_EMAIL, DEMO_PASSWORD).await;
    charles.heading(1, "manage connectors").await;
    charles.find(&format!("//*[@aria-label='settings for {INSTANCE}']")).await;
    ada.open_instance_settings(&server.base, INSTANCE).await;
    ada.wait_value("name", INSTANCE).await;

    // Ada points it at the local API and renames it: a connection change,
    // tested and then saved.
    ada.fill("name", "Warehouse API (local)").await;
    ada.fill("base URL", &format!("http://127.0.0.1:{port}/basic")).await;
    // A new address cannot reuse the stored password: it is asked for again.
    open_tab(&ada, "authentication").await;
    ada.control("replace").await.click().await.unwrap();
    ada.fill("new password", sandbox::BASIC_PASSWORD).await;
    ada.click_button("test instance connection").await;
    ada.heading(3, "connection test passed").await;
    // Its process flow uses it, so saving asks first.
    ada.click_button("save instance settings").await;
    ada.confirm_save().await;
    ada.saved_notice().await;

    // Charles's list follows: the row's new name, and its badge.
    charles.find(&row_badge("Warehouse API (local)", "operational")).await;

    // The API starts refusing; Ada's test of the saved connection fails and
    // Charles's badge says so.
    accepting.store(false, Ordering::SeqCst);
    ada.click_button("test instance connection").await;
    ada.heading(3, "connection test failed").await;
    charles.find(&row_badge("Warehouse API (local)", "failed authentication")).await;
    charles.snapshot("live-list-status").await;

    // Charles opens the instance; it works again when Ada tests next.
    charles.find("//*[@aria-label='settings for Warehouse API (local)']").await.click().await.unwrap();
    charles.heading(1, "Warehouse API (local)").await;
    charles.find(&header_badge("failed authentication")).await;
    accepting.store(true, Ordering::SeqCst);
    ada.click_button("test instance connection").await;
    ada.heading(3, "connection test passed").await;
    charles.find(&header_badge("operational")).await;
    charles.find(&live_notice("Ada Lovelace's test found this instance operational.")).await;

    // Ada renames it; Charles, with no edits, is told and shown the saved
    // settings and the history entry.
    open_tab(&ada, "instance details").await;
    ada.fill("name", "Warehouse API (renamed)").await;
    ada.save_in_use_changing("name").await;
    charles.find(&live_notice("Ada Lovelace saved this instance a moment ago.")).await;
    charles.wait_value("name", "Warehouse API (renamed)").await;
    charles
        .find("//section[.//h2[normalize-space()='history']]//li[contains(., 'Ada Lovelace saved')][contains(., 'name')]")
        .await;
    charles.snapshot("live-settings-saved").await;

    // Charles edits; Ada saves first. Before Charles tries to save he is
    // told his save would conflict, and he can take Ada's settings.
    charles.fill("name", "Warehouse (Charles)").await;
    ada.fill("name", "Warehouse API (again)").await;
    ada.save_in_use_changing("name").await;
    charles
        .find("//*[@role='alert'][contains(., 'Ada Lovelace saved this instance a moment ago.')][contains(., 'You both changed name.')]")
        .await;
    charles.wait_enabled("save instance settings", false).await;
    charles.wait_value("name", "Warehouse (Charles)").await;
    charles.snapshot("live-settings-conflict").await;
    charles.click_button("reload saved settings").await;
    charles.wait_value("name", "Warehouse API (again)").await;

    ada.close().await;
    charles.close().await;
    api.abort();
}
