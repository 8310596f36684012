//! A person updates an instance the way `updating an instance` describes:
//! edits on several tabs, a credential that fails its test and then passes,
//! a save that names the process flows it affects, a reload that shows the
//! saved values, a colleague who saved first (told before saving), and a guard against leaving
//! with unsaved edits. The demo's sandbox plays the third-party API.

mod support;

use conduit_server::demo::sandbox;
use support::{Browser, Recorder, Server};

const INSTANCE: &str = "Carrier rates API";

/// Signs in through `base` and opens `INSTANCE`'s settings from the cog on
/// `manage connectors`; returns the settings path without its tab.
async fn open_settings(browser: &Browser, base: &str) -> String {
    browser.open_instance_settings(base, INSTANCE).await;
    browser.wait_value("name", INSTANCE).await;
    browser.path().await.trim_end_matches("details").to_owned()
}

async fn choose(browser: &Browser, radio_label: &str) {
    browser.control(radio_label).await.click().await.unwrap();
}

async fn save_reason(browser: &Browser) -> String {
    let button = browser.button("save instance settings").await;
    let id = button.attr("aria-describedby").await.unwrap().expect("save names its reason");
    browser.find(&format!("//*[@id='{id}']")).await.text().await.unwrap()
}

#[tokio::test]
async fn a_person_edits_tests_and_saves_an_instance_and_the_secret_never_comes_back() {
    let server = Server::start().await;
    let recorder = Recorder::start(&server.base).await;
    let browser = Browser::start().await;
    let base = open_settings(&browser, &recorder.base).await;

    // instance details: a new name and rate limit; the tab is marked.
    browser.fill("name", "Carrier rates API (EU)").await;
    browser.fill("rate limit", "4000").await;
    browser.tab("instance details (unsaved changes)").await;
    // Details alone do not touch the connection: save is possible already.
    browser.wait_enabled("save instance settings", true).await;

    // Switching tabs and back keeps the edits.
    browser.tab("authentication").await.click().await.unwrap();
    browser.wait_path(&format!("{base}authentication")).await;
    browser.tab("instance details (unsaved changes)").await.click().await.unwrap();
    browser.wait_path(&format!("{base}details")).await;
    browser.wait_value("name", "Carrier rates API (EU)").await;
    browser.wait_value("rate limit", "4000").await;

    // A new client secret changes the connection: save waits for a test.
    browser.tab("authentication").await.click().await.unwrap();
    browser.text("a value is stored").await;
    choose(&browser, "replace").await;
    browser.fill("new client secret", "not-the-secret").await;
    browser.tab("authentication (unsaved changes)").await;
    browser.wait_enabled("save instance settings", false).await;
    assert!(
        save_reason(&browser).await.contains("test instance connection"),
        "the disabled save says why"
    );
    browser.snapshot("update-needs-test").await;

    // The wrong secret fails its test, and save stays locked.
    browser.button("test instance connection").await.click().await.unwrap();
    browser.heading(3, "connection test failed").await;
    browser.wait_enabled("save instance settings", false).await;
    browser.snapshot("update-test-failed").await;

    // The right one passes, and save opens.
    browser.fill("new client secret", sandbox::CLIENT_SECRET).await;
    browser.wait_enabled("save instance settings", false).await;
    browser.button("test instance connection").await.click().await.unwrap();
    browser.heading(3, "connection test passed").await;
    browser.wait_enabled("save instance settings", true).await;

    // Editing the connection again locks save again; undoing it reopens.
    browser.fill("scope", "rates:write").await;
    browser.wait_enabled("save instance settings", false).await;
    browser.fill("scope", "rates:read").await;
    browser.wait_enabled("save instance settings", true).await;

    // Saving names the process flows it changes at once.
    browser.button("save instance settings").await.click().await.unwrap();
    let dialog = browser.find("//dialog[@open]").await;
    let said = dialog.text().await.unwrap();
    assert!(said.contains("Shipping rates refresh"), "{said}");
    assert!(said.contains("enabled"), "{said}");
    browser.snapshot("update-save-dialog").await;
    browser.button("save now").await.click().await.unwrap();
    browser.saved_notice().await;
    browser.heading(1, "Carrier rates API (EU)").await;
    browser.wait_enabled("save instance settings", false).await;
    assert!(save_reason(&browser).await.contains("Nothing to save"));

    // The history names the save's fields, not their values.
    browser
        .find("//section[.//h2[normalize-space()='history']]//li[contains(., 'saved')][contains(., 'client secret')]")
        .await;

    // After a reload the saved values are shown and the secret is only "stored".
    browser.client.refresh().await.unwrap();
    browser.heading(1, "Carrier rates API (EU)").await;
    browser.tab("authentication").await;
    browser.text("a value is stored").await;
    browser.tab("instance details").await.click().await.unwrap();
    browser.wait_value("rate limit", "4000").await;

    // Nothing the server sent to the browser held a secret.
    assert!(recorder.saw("\"is_set\":true"), "the recorder saw the API's answers");
    assert!(!recorder.saw(sandbox::CLIENT_SECRET), "the client secret reached the browser");
    assert!(!recorder.saw("not-the-secret"), "the wrong secret was echoed back");

    browser.close().await;
}

#[tokio::test]
async fn a_colleague_who_saved_first_wins_and_leaving_with_edits_asks() {
    let server = Server::start().await;
    let first = Browser::start().await;
    let second = Browser::start().await;
    let base = open_settings(&first, &server.base).await;
    open_settings(&second, &server.base).await;

    // The first person edits; the second saves a name change before them.
    first.fill("name", "Carrier rates (first)").await;
    second.fill("name", "Carrier rates (second)").await;
    second.button("save instance settings").await.click().await.unwrap();
    second.button("save now").await.click().await.unwrap();
    second.saved_notice().await;

    // Both browsers are Ada's: before she saves in the first, its alert says
    // (from the live event stream) that she saved in another window, and
    // that both drafts changed the name; saving waits for her choice. (A
    // save refused as stale says the same; the component tests show it.)
    let alert = first
        .find("//*[@role='alert'][contains(., 'You saved this instance in another window')][contains(., 'You both changed name.')]")
        .await;
    first.wait_enabled("save instance settings", false).await;
    first.snapshot("update-conflict").await;
    // Nothing is dropped silently: the edit is still there until the person reloads.
    first.wait_value("name", "Carrier rates (first)").await;
    drop(alert);
    first.button("reload saved settings").await.click().await.unwrap();
    first.wait_value("name", "Carrier rates (second)").await;
    second.close().await;

    // Leaving by a link with unsaved edits asks; staying keeps them.
    first.fill("name", "Carrier rates (unsaved)").await;
    first.find("//nav//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    let question = first.prompt_text("following a link").await;
    assert!(question.contains("unsaved changes"), "{question}");
    first.client.dismiss_alert().await.unwrap();
    assert_eq!(first.path().await, format!("{base}details"));
    first.wait_value("name", "Carrier rates (unsaved)").await;

    // The back button asks too.
    first.client.back().await.unwrap();
    first.prompt_text("going back").await;
    first.client.dismiss_alert().await.unwrap();
    first.wait_path(&format!("{base}details")).await;
    first.wait_value("name", "Carrier rates (unsaved)").await;

    // Answering yes leaves.
    first.find("//nav//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    first.prompt_text("following the link again").await;
    first.client.accept_alert().await.unwrap();
    first.wait_path("/connectors").await;
    first.heading(1, "manage connectors").await;

    first.close().await;
}
