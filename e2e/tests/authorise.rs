//! A person authorises an OAuth 2 (authorisation code) instance with its
//! provider: there is no connection test, `authorise` opens the provider's
//! consent page in a popup, denying consent saves nothing and says so, and
//! allowing it lets the settings be saved. The demo's sandbox plays the
//! provider.

mod support;

use support::{Browser, Server};

const INSTANCE: &str = "Sandbox app (OAuth 2 authorisation code)";

/// Clicks `decision` (`allow` or `deny`) on the consent page in the popup
/// `authorise` opened, and comes back to the settings page.
async fn answer_consent(browser: &Browser, decision: &str) {
    let main = browser.client.window().await.unwrap();
    browser.click_button("authorise").await;
    let mut popup = None;
    for _ in 0..200 {
        let windows = browser.client.windows().await.unwrap();
        if let Some(other) = windows.into_iter().find(|w| *w != main) {
            popup = Some(other);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let popup = popup.expect("authorise opens the provider's window");
    browser.client.switch_to_window(popup).await.unwrap();
    browser.heading(1, "Allow access?").await;
    browser.snapshot(&format!("consent-{decision}")).await;
    browser.button(decision).await.click().await.unwrap();
    browser.heading(1, "Authorising with the provider").await;
    browser.client.switch_to_window(main).await.unwrap();
}

#[tokio::test]
async fn a_person_authorises_with_the_provider_in_a_popup_and_saves() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    browser.open_instance_settings(&server.base, INSTANCE).await;
    browser.tab("authentication").await.click().await.unwrap();

    // No connection test: the credentials are checked by authorising.
    browser.text("so there is no connection test").await;
    browser.wait_enabled("save instance settings", false).await;

    // Denying consent saves nothing and says so.
    answer_consent(&browser, "deny").await;
    browser.text("You denied access at the provider. Nothing was saved.").await;
    browser.wait_enabled("save instance settings", false).await;

    // Allowing it: the provider's tokens pass a test, and save opens.
    answer_consent(&browser, "allow").await;
    browser.text("authorised with the provider: save instance settings to keep it").await;
    browser.wait_enabled("save instance settings", true).await;
    browser.snapshot("authorised").await;
    browser.save_settings_changing("authorisation").await;

    // Saved: the instance is connected, and the button now reconnects.
    browser.client.refresh().await.unwrap();
    browser.heading(1, INSTANCE).await;
    browser.text("operational").await;
    browser.button("reconnect").await;

    browser.close().await;
}
