//! A person signs in, finds an instance on `manage connectors`, opens its
//! settings cog and moves between the `instance settings` tabs.

mod support;

use fantoccini::key::Key;
use support::{Browser, Server};

const EMAIL: &str = support::DEMO_EMAIL;
const PASSWORD: &str = support::DEMO_PASSWORD;

#[tokio::test]
async fn a_person_signs_in_and_reaches_an_instances_settings_tabs() {
    let server = Server::start().await;
    let browser = Browser::start().await;

    // Not signed in: the dashboard sends us to sign in.
    browser.goto(&server.url("/")).await;
    browser.heading(1, "sign in").await;
    assert_eq!(browser.path().await, "/login");

    // A wrong password is refused with a readable sentence; the email stays.
    browser.sign_in(EMAIL, "not-the-password").await;
    browser
        .find("//*[@role='alert'][contains(., 'That email and password do not match an account.')]")
        .await;
    assert_eq!(browser.value("email").await, EMAIL);

    browser.sign_in(EMAIL, PASSWORD).await;
    browser.heading(1, "manage connectors").await;
    browser.wait_path("/connectors").await;
    for connector in ["Shopify", "BigCommerce", "NetSuite", "HTTP API"] {
        browser.heading(2, connector).await;
    }
    // The list says how many process flows use an instance.
    browser.find("//li[contains(., 'Shopify - UK')][contains(., 'used in 2 process flows')]").await;
    browser.snapshot("manage-connectors").await;

    // The settings cog is named after its instance.
    browser.find("//*[@aria-label='settings for Shopify - UK']").await.click().await.unwrap();
    browser.heading(1, "Shopify - UK").await;
    let path = browser.path().await;
    assert!(
        path.starts_with("/instances/") && path.ends_with("/settings/details"),
        "{path}"
    );
    let base = path.trim_end_matches("details").to_owned();

    let details = browser.tab("instance details").await;
    let authentication = browser.tab("authentication").await;
    let certificates = browser.tab("certificates").await;
    browser.wait_attr(&details, "aria-selected", "true").await;
    browser.wait_attr(&authentication, "aria-selected", "false").await;
    browser.find("//*[@role='tabpanel']").await;

    // Arrow keys move the selection and the focus; the URL follows.
    browser.press(&details, Key::Right).await;
    browser.wait_attr(&authentication, "aria-selected", "true").await;
    browser.wait_attr(&details, "aria-selected", "false").await;
    browser.wait_path(&format!("{base}authentication")).await;
    assert_eq!(browser.focused_text().await, "authentication");
    browser.find("//*[@role='tabpanel'][contains(., 'admin API access token')]").await;
    browser.snapshot("instance-settings-authentication").await;

    let focused = browser.tab("authentication").await;
    browser.press(&focused, Key::Right).await;
    browser.wait_attr(&certificates, "aria-selected", "true").await;
    browser.wait_path(&format!("{base}certificates")).await;

    // Right from the last tab wraps to the first; Left wraps back.
    browser.press(&browser.tab("certificates").await, Key::Right).await;
    browser.wait_path(&format!("{base}details")).await;
    browser.press(&browser.tab("instance details").await, Key::Left).await;
    browser.wait_path(&format!("{base}certificates")).await;

    // The tab survives a reload, because it is in the URL.
    browser.client.refresh().await.unwrap();
    let certificates = browser.tab("certificates").await;
    browser.wait_attr(&certificates, "aria-selected", "true").await;

    // Back goes to the previous tab.
    browser.client.back().await.unwrap();
    browser.wait_path(&format!("{base}details")).await;
    browser.wait_attr(&browser.tab("instance details").await, "aria-selected", "true").await;

    browser.close().await;
}

#[tokio::test]
async fn a_deep_link_survives_signing_in_and_an_unknown_instance_says_so() {
    let server = Server::start().await;
    let browser = Browser::start().await;

    browser.goto(&server.url("/instances/1/settings/authentication")).await;
    browser.heading(1, "sign in").await;
    browser.sign_in(EMAIL, PASSWORD).await;
    browser.wait_path("/instances/1/settings/authentication").await;
    browser.wait_attr(&browser.tab("authentication").await, "aria-selected", "true").await;

    browser.goto(&server.url("/instances/424242/settings/details")).await;
    let message = browser.find("//*[contains(., 'There is no instance with that id.')]").await;
    assert!(message.is_displayed().await.unwrap());
    browser.find("//a[normalize-space()='manage connectors']").await;

    browser.close().await;
}

#[tokio::test]
async fn the_background_checker_makes_a_sandbox_instance_operational_on_the_list_and_its_page() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    browser.open_instance_settings(&server.base, "Warehouse API").await;
    // Nobody tests: the checker does, a few seconds after start.
    for attempt in 0.. {
        browser.client.refresh().await.unwrap();
        browser.heading(1, "Warehouse API").await;
        if browser.shows_anywhere("last checked").await {
            break;
        }
        assert!(attempt < 60, "the checker never checked the instance");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    browser.find("//header[contains(@class, 'page-header')]//*[contains(., 'operational')]").await;
    browser.find("//header[contains(@class, 'page-header')]//*[contains(., 'last checked')]").await;
    browser.find("//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    browser.find("//li[contains(., 'Warehouse API')][contains(., 'operational')][contains(., 'last checked')]").await;
}
