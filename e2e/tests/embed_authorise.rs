//! Authorising an OAuth 2 (authorisation code) instance from inside a host
//! portal's iframe, with third-party cookies blocked: the provider's page
//! opens in a popup (a top-level window on conduit's origin, bound to the
//! authorisation by its own first-party cookie), and the iframe hears how
//! it went from the server. The demo's sandbox plays the provider. (A
//! blocked popup, which Chromium does not do for a click, is the component
//! test in `tests/embedded.rs`.)

mod support;

use support::embedding::*;
use support::host::HOST_USER;
use support::Browser;

const INSTANCE: &str = "Sandbox app (OAuth 2 authorisation code)";

/// Waits for a window other than `main` and goes to it.
async fn other_window(browser: &Browser, main: &fantoccini::wd::WindowHandle) {
    for _ in 0..200 {
        let windows = browser.client.windows().await.unwrap();
        if let Some(other) = windows.into_iter().find(|w| w != main) {
            browser.client.switch_to_window(other).await.unwrap();
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no window of the provider opened");
}

/// Allows access on the provider's consent page in the window that opened,
/// and comes back to the host page's window and into the iframe.
async fn allow_at_the_provider(browser: &Browser, main: fantoccini::wd::WindowHandle) {
    other_window(browser, &main).await;
    browser.heading(1, "Allow access?").await;
    browser.button("allow").await.click().await.unwrap();
    browser.heading(1, "Authorising with the provider").await;
    browser.client.switch_to_window(main).await.unwrap();
    enter_settings(browser).await;
}

async fn open_authentication(browser: &Browser, host_url: &str) {
    browser.goto(host_url).await;
    hear(browser, "ready", |e| of_type(e, "ready")).await;
    enter_settings(browser).await;
    browser.tab("authentication").await.click().await.unwrap();
    browser.text("so there is no connection test").await;
}

#[tokio::test]
async fn the_provider_opens_in_a_popup_from_the_iframe_and_the_authorised_settings_save() {
    let (host, server, id) = start(INSTANCE, &[]).await;
    host.page("/", host_page(&server, &element(id, "/session")));
    let browser = Browser::start_blocking_third_party_cookies().await;
    open_authentication(&browser, &host.url("/")).await;

    let main = browser.client.window().await.unwrap();
    browser.click_button("authorise").await;
    allow_at_the_provider(&browser, main).await;
    browser.text("authorised with the provider: save instance settings to keep it").await;
    browser.wait_enabled("save instance settings", true).await;
    browser.click_button("save instance settings").await;
    hear(&browser, "saved", |e| of_type(e, "saved")).await;
    enter_settings(&browser).await;
    let who = format!("{HOST_USER} via {}", host.base.trim_start_matches("http://"));
    browser.find(&format!("//section[.//h2[normalize-space()='history']]//li[contains(., 'saved')][contains(., '{who}')]")).await;
}
