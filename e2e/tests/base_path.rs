//! The dashboard served under a base path (`--base-path /conduit`), as
//! behind a portal's proxy, from the same build as at the root: a deep link
//! survives signing in, the navigation, the settings cog and the tabs stay
//! under the base, and a save goes through.

mod support;

use support::{Browser, Server};

const INSTANCE: &str = "Carrier rates API";

#[tokio::test]
async fn a_person_signs_in_opens_an_instance_and_saves_under_a_base_path() {
    let server = Server::start_with(&["--base-path", "/conduit"], &[]).await;
    let browser = Browser::start().await;

    // A deep link: sign in first, then back to it.
    browser.goto(&server.url("/conduit/instances/1/settings/authentication")).await;
    browser.heading(1, "sign in").await;
    browser.wait_path("/conduit/login").await;
    let query = browser.client.current_url().await.unwrap().query().unwrap_or_default().to_owned();
    assert_eq!(query, "next=/instances/1/settings/authentication");
    browser.sign_in(support::DEMO_EMAIL, support::DEMO_PASSWORD).await;
    browser.wait_path("/conduit/instances/1/settings/authentication").await;
    browser.wait_attr(&browser.tab("authentication").await, "aria-selected", "true").await;
    // The settings pages belong to the connectors section of the rail.
    browser.find("//nav//a[contains(@class, 'rail__link--section')][normalize-space()='connectors & instances']").await;

    // The rail's link, the cog and the tabs stay under the base.
    browser.find("//nav//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    browser.wait_path("/conduit/connectors").await;
    browser.heading(1, "manage connectors").await;
    browser.find(&format!("//*[@aria-label='settings for {INSTANCE}']")).await.click().await.unwrap();
    browser.heading(1, INSTANCE).await;
    browser.wait_value("name", INSTANCE).await;
    let path = browser.path().await;
    assert!(path.starts_with("/conduit/instances/") && path.ends_with("/settings/details"), "{path}");
    let settings = path.trim_end_matches("details").to_owned();

    // An edit, then a tab switch: the same page, so nothing asks.
    browser.fill("name", "Carrier rates API (portal)").await;
    browser.tab("authentication").await.click().await.unwrap();
    browser.wait_path(&format!("{settings}authentication")).await;
    assert!(browser.client.get_alert_text().await.is_err(), "switching tabs does not ask");
    browser.tab("instance details (unsaved changes)").await.click().await.unwrap();
    browser.wait_path(&format!("{settings}details")).await;
    // The instance runs process flows: saving names them first.
    browser.click_button("save instance settings").await;
    browser.find("//dialog[@open][contains(., 'Shipping rates refresh')]").await;
    browser.button("save now").await.click().await.unwrap();
    browser.saved_notice().await;
    browser.find("//section[.//h2[normalize-space()='history']]//li[contains(., 'saved')][contains(., 'name')]").await;

    // A reload of the deep link shows what was saved.
    browser.client.refresh().await.unwrap();
    browser.heading(1, "Carrier rates API (portal)").await;
    browser.wait_value("name", "Carrier rates API (portal)").await;
    assert_eq!(browser.path().await, format!("{settings}details"));

    // The breadcrumb leads back under the base.
    browser.find("//nav[@aria-label='breadcrumb']//a[normalize-space()='connectors & instances']").await.click().await.unwrap();
    browser.wait_path("/conduit/connectors").await;

    // Signing out lands on the sign-in page under the base.
    browser.find("//button[contains(@class, 'user-menu__toggle')]").await.click().await.unwrap();
    browser.button("sign out").await.click().await.unwrap();
    browser.heading(1, "sign in").await;
    browser.wait_path("/conduit/login").await;

    // Outside the base there is no dashboard.
    browser.goto(&server.url("/connectors")).await;
    assert!(browser.count("//h1[normalize-space()='sign in' or normalize-space()='manage connectors']").await == 0);

    browser.close().await;
}
