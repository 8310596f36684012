//! A person deletes instances from `instance settings`: one that a process
//! flow uses offers no way to delete and names the flow (and the server
//! refuses it too); an unused one goes once `confirm` is typed, and
//! `manage connectors` says so and no longer lists it.

mod support;

use support::{Browser, Server};

const IN_USE: &str = "Carrier rates API";
const UNUSED: &str = "Sandbox - API key in the query";

#[tokio::test]
async fn an_instance_in_use_is_refused_naming_its_flow_and_an_unused_one_is_deleted_by_typing_confirm() {
    let server = Server::start().await;
    let browser = Browser::start().await;

    // In use: the side column names the flow and offers no delete button.
    browser.open_instance_settings(&server.base, IN_USE).await;
    let card = "//section[@aria-labelledby='delete-heading']";
    browser.find(&format!("{card}[contains(., 'cannot be deleted')][contains(., 'Shipping rates refresh')]")).await;
    assert_eq!(browser.count(&format!("{card}//button")).await, 0, "no way to delete");
    // The server refuses it as well, naming the flow.
    let id = browser.path().await.split('/').nth(2).unwrap().to_owned();
    let answer = browser
        .client
        .execute_async(
            "const done = arguments[1]; fetch('/api/instances/' + arguments[0], {method: 'DELETE', headers: {Accept: 'application/json'}})
               .then(r => r.json().then(b => done([r.status, b.code, b.message, b.flows.map(f => f.name)])));",
            vec![serde_json::Value::from(id)],
        )
        .await
        .unwrap();
    assert_eq!(answer[0], 409, "{answer}");
    assert_eq!(answer[1], "in_use");
    assert!(answer[2].as_str().unwrap().contains("“Shipping rates refresh”"), "{answer}");
    assert_eq!(answer[3], serde_json::json!(["Shipping rates refresh"]));
    browser.snapshot("delete-in-use").await;

    // Unused: the trash button asks for the word confirm.
    browser.goto(&format!("{}/connectors", server.base)).await;
    browser.heading(1, "manage connectors").await;
    browser.find(&format!("//*[@aria-label='settings for {UNUSED}']")).await.click().await.unwrap();
    browser.heading(1, UNUSED).await;
    browser.click_button("delete instance").await;
    browser.heading(2, "delete instance?").await;
    browser.wait_enabled("delete", false).await;
    browser.fill("type confirm to delete", "confirm").await;
    browser.wait_enabled("delete", true).await;
    browser.snapshot("delete-confirm-typed").await;
    browser.button("delete").await.click().await.unwrap();

    browser.wait_path("/connectors").await;
    browser.find(&format!("//*[@role='status'][contains(., 'The instance “{UNUSED}” was deleted.')]")).await;
    browser.find(&format!("//*[@aria-label='settings for {IN_USE}']")).await;
    assert_eq!(browser.count(&format!("//*[@aria-label='settings for {UNUSED}']")).await, 0, "no longer listed");
    browser.close().await;
}
