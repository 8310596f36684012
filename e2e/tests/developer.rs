//! A person opens `developer settings`, creates an API key for a partner
//! portal and copies it (it is shown once: the server sends it in one answer
//! only, and it is never written to the data directory), lists the portal's
//! origin (refused at the field while it is not one, saved as a browser
//! sends it), and revokes the key after being asked.

mod support;

use support::{eventually, Browser, Recorder, Server, DEMO_EMAIL, DEMO_PASSWORD};

/// The key's row in the list of API keys.
const KEY_ROW: &str = "//tr[.//td[normalize-space()='partner portal']]";

async fn open_developer_settings(browser: &Browser, base: &str) {
    browser.goto(&format!("{base}/connectors")).await;
    browser.heading(1, "sign in").await;
    browser.sign_in(DEMO_EMAIL, DEMO_PASSWORD).await;
    browser.heading(1, "manage connectors").await;
    browser.find("//a[normalize-space()='developer settings']").await.click().await.unwrap();
    browser.heading(1, "developer settings").await;
}

/// Every byte of the data directory's files, as text where it is text.
fn data_files(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(path).unwrap()));
        }
    }
    all
}

#[tokio::test]
async fn a_person_creates_an_api_key_shown_once_lists_an_origin_and_revokes_the_key() {
    let server = Server::start().await;
    let recorder = Recorder::start(&server.base).await;
    let browser = Browser::start().await;
    open_developer_settings(&browser, &recorder.base).await;

    // A key: named, created, shown once in a field that has focus.
    browser.fill("key name", "partner portal").await;
    browser.click_button("create API key").await;
    let label = "new API key: partner portal";
    let secret = eventually(async || match browser.value(label).await {
        secret if secret.starts_with("ck_") => Ok(secret),
        seen => Err(format!("the new key's field held {seen:?}")),
    })
    .await;
    let field = browser.control(label).await;
    assert_eq!(field.attr("id").await.unwrap(), Some(browser.focused_id().await), "the secret's field takes focus");
    browser.text("it will not be shown again").await;
    let row = browser.find(KEY_ROW).await;
    let row_text = row.text().await.unwrap();
    assert!(row_text.contains(&secret[..10]) && row_text.contains("never used"), "{row_text}");

    // Shown once: after a reload the key is listed by its first characters only.
    browser.goto(&recorder.url("/developer")).await;
    browser.find(KEY_ROW).await;
    assert!(!browser.shows_anywhere(&secret).await, "the secret is not shown again");
    assert_eq!(recorder.times_seen(&secret), 1, "the secret reached the browser in the one answer that made it");
    assert!(!data_files(server.data_dir()).contains(&secret), "the secret is not in the data directory");

    // An origin: refused at its field while it is not one; saved normalised.
    browser.click_button("add origin").await;
    browser.fill("origin 1", "http://portal.example").await;
    let field = browser.control("origin 1").await;
    browser.wait_attr(&field, "aria-invalid", "true").await;
    let error_id = field.attr("aria-describedby").await.unwrap().expect("the error describes its field");
    let error = browser.find(&format!("//*[@id='{error_id}']")).await.text().await.unwrap();
    assert!(error.contains("must use https://"), "{error}");
    browser.fill("origin 1", "HTTPS://Portal.Example:443/").await;
    browser.click_button("save origins").await;
    browser.text("origins saved").await;
    browser.goto(&recorder.url("/developer")).await;
    browser.wait_value("origin 1", "https://portal.example").await;

    // Revoking asks first, then the key is gone for good.
    browser.click_button("revoke partner portal").await;
    browser.text("revoke this API key?").await;
    assert_eq!(browser.count(KEY_ROW).await, 1, "nothing is revoked before the person confirms");
    browser.click_button("revoke API key").await;
    eventually(async || match browser.count(KEY_ROW).await {
        0 => Ok(()),
        _ => Err("the revoked key is still listed".to_owned()),
    })
    .await;
    browser.goto(&recorder.url("/developer")).await;
    browser.heading(2, "API keys").await;
    browser.wait_value("origin 1", "https://portal.example").await;
    assert_eq!(browser.count(KEY_ROW).await, 0, "a revoked key stays gone");
    browser.close().await;
}
