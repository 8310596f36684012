//! A person adds an instance from `add new instance` on a connector card:
//! the same tabs as instance settings over a new draft, a credential that
//! fails its test and then passes, a save that lands on the new instance's
//! settings, and the instance on `manage connectors`. Then they duplicate
//! an instance: the copy opens on its `authentication` tab asking for the
//! token it did not copy, and is added once that passes a test. The demo's
//! sandbox (on the server's own address, which the egress policy allows)
//! plays the third-party API.

mod support;

use conduit_server::demo::sandbox;
use support::{Browser, Server, DEMO_EMAIL, DEMO_PASSWORD};

async fn signed_in(browser: &Browser, base: &str) {
    browser.goto(&format!("{base}/connectors")).await;
    browser.heading(1, "sign in").await;
    browser.sign_in(DEMO_EMAIL, DEMO_PASSWORD).await;
    browser.heading(1, "manage connectors").await;
}

/// The tab labelled `label`, whatever marks its name adds ("(unsaved changes)").
async fn tab(browser: &Browser, label: &str) -> fantoccini::elements::Element {
    browser.find(&format!("//*[@role='tab'][starts-with(normalize-space(), '{label}')]")).await
}

async fn choose_method(browser: &Browser, label: &str) {
    browser.control("authentication method").await.select_by_label(label).await.unwrap();
}

#[tokio::test]
async fn a_person_adds_an_instance_after_a_failing_then_passing_test() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    signed_in(&browser, &server.base).await;

    browser
        .find("//section[.//h2[normalize-space()='HTTP API']]//a[normalize-space()='add new instance']")
        .await
        .click()
        .await
        .unwrap();
    browser.heading(1, "add new instance").await;
    browser.wait_value("name", "").await;
    browser.fill("name", "Sandbox - bearer token (EU)").await;
    browser.fill("base URL", &format!("{}/sandbox/bearer", server.base)).await;
    browser.fill("test path", "/me").await;

    tab(&browser, "authentication").await.click().await.unwrap();
    choose_method(&browser, "bearer token").await;
    browser.text("no value stored").await;
    browser.fill("token", "not-the-token").await;
    // Nothing is added untested.
    browser.wait_enabled("save instance settings", false).await;

    browser.button("test instance connection").await.click().await.unwrap();
    browser.heading(3, "connection test failed").await;
    browser.wait_enabled("save instance settings", false).await;
    browser.snapshot("add-test-failed").await;

    browser.fill("token", sandbox::BEARER_TOKEN).await;
    browser.button("test instance connection").await.click().await.unwrap();
    browser.heading(3, "connection test passed").await;
    browser.wait_enabled("save instance settings", true).await;
    browser.button("save instance settings").await.click().await.unwrap();

    // It lands on the new instance's own settings, with who created it.
    browser.heading(1, "Sandbox - bearer token (EU)").await;
    let path = browser.path().await;
    assert!(path.starts_with("/instances/") && path.ends_with("/settings/details"), "{path}");
    browser
        .find("//section[.//h2[normalize-space()='history']]//li[contains(., 'Ada Lovelace created this instance')]")
        .await;
    tab(&browser, "authentication").await.click().await.unwrap();
    browser.text("a value is stored").await;

    // manage connectors lists it, working.
    browser.find("//nav//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    browser.heading(1, "manage connectors").await;
    browser.find("//*[@aria-label='settings for Sandbox - bearer token (EU)']").await;
    browser.close().await;
}

#[tokio::test]
async fn a_person_duplicates_an_instance_and_supplies_its_secret() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    browser.open_instance_settings(&server.base, "Sandbox - bearer token").await;

    browser.find("//a[normalize-space()='duplicate']").await.click().await.unwrap();
    browser.heading(1, "duplicate instance").await;
    // The copy asks for the token on its authentication tab.
    browser.wait_attr(&tab(&browser, "authentication").await, "aria-selected", "true").await;
    browser.text("no value stored").await;
    browser.wait_value("token", "").await;
    browser.text("Enter the token.").await;
    browser.wait_enabled("save instance settings", false).await;
    browser.snapshot("duplicate-asks-for-the-token").await;

    // Everything else came along.
    tab(&browser, "instance details").await.click().await.unwrap();
    browser.wait_value("name", "Sandbox - bearer token (copy)").await;
    browser.wait_value("base URL", &format!("{}/sandbox/bearer", server.base)).await;

    tab(&browser, "authentication").await.click().await.unwrap();
    browser.fill("token", sandbox::BEARER_TOKEN).await;
    browser.button("test instance connection").await.click().await.unwrap();
    browser.heading(3, "connection test passed").await;
    browser.button("save instance settings").await.click().await.unwrap();
    browser.heading(1, "Sandbox - bearer token (copy)").await;

    browser.find("//nav//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    browser.heading(1, "manage connectors").await;
    browser.find("//*[@aria-label='settings for Sandbox - bearer token (copy)']").await;
    browser.find("//*[@aria-label='settings for Sandbox - bearer token']").await;
    browser.close().await;
}
