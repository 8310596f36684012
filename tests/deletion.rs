//! Component tests of deleting an instance in headless Chromium: the
//! settings page mounted in the app's router with `fetch` faked; the
//! typed confirmation, the server's refusal in the dialog, the landing on
//! `manage connectors`, and an instance in use offering no way to delete.
#![cfg(target_arch = "wasm32")]

use conduit_types::draft::InstanceHistory;
use conduit_types::fixtures::shopify_uk;
use conduit_types::{ConnectorList, ErrorCode, InstanceInUse, InstanceSettings, ProcessFlowRef};
use conduit_web::api::ApiClient;
use conduit_web::pages::connectors::ConnectorsPage;
use conduit_web::pages::instance_settings::InstanceSettingsPage;
use conduit_web::session::Session;
use leptos::{mount::mount_to, prelude::*};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

/// Mounts the settings page of `settings` (and `manage connectors`) with
/// `fetch` answering `more` besides the instance and its history.
async fn open_settings(settings: &InstanceSettings, more: &[(String, u16, String)]) -> (HtmlElement, impl Drop, FakeApi) {
    let base = format!("/api/instances/{}", settings.id);
    let mut answers = vec![
        (format!("GET {base}"), 200, json(settings)),
        (format!("GET {base}/history"), 200, json(&InstanceHistory { entries: vec![] })),
        ("GET /api/connectors".to_string(), 200, json(&ConnectorList { connectors: vec![], choices: vec![] })),
    ];
    answers.extend_from_slice(more);
    let fake = fake_api(&answers.iter().map(|(k, s, b)| (k.as_str(), *s, b.clone())).collect::<Vec<_>>());
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("/instances/{}/settings/details", settings.id)))
        .unwrap();
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! {
            <Router>
                <Routes fallback=|| "nothing">
                    <Route path=path!("/instances/:id/settings/:tab") view=InstanceSettingsPage />
                    <Route path=path!("/connectors") view=ConnectorsPage />
                </Routes>
            </Router>
        }
    });
    wait_for("the settings to load", || root.query_selector("#delete-heading").unwrap().is_some()).await;
    (root, handle, fake)
}

fn delete_card(root: &Element) -> Element {
    root.query_selector("[aria-labelledby=\"delete-heading\"]").unwrap().expect("the delete card")
}

fn unavailable(element: &Element) -> bool {
    attr(element, "aria-disabled").as_deref() == Some("true")
}

#[wasm_bindgen_test]
async fn deleting_asks_for_the_word_confirm_shows_a_refusal_then_lands_on_manage_connectors() {
    let settings = shopify_uk();
    let refusal = InstanceInUse {
        code: ErrorCode::InUse,
        message: "This instance cannot be deleted while the process flow “Orders” uses it. Remove it from that flow first.".into(),
        flows: vec![ProcessFlowRef { id: 9, name: "Orders".into(), enabled: true }],
    };
    let delete = format!("DELETE /api/instances/{}", settings.id);
    let (root, _handle, _fake) =
        open_settings(&settings, &[(delete.clone(), 409, json(&refusal)), (delete.clone(), 204, String::new())]).await;

    click(&button(&delete_card(&root), "delete instance"));
    let dialog = dialog_titled(&root, "delete-dialog-title");
    assert!(dialog.open(), "the question is a modal dialog");
    assert!(text_of(&dialog).contains(&settings.details.name), "{}", text_of(&dialog));
    let go = button(&dialog, "delete");
    let field = input_labelled(&dialog, "type confirm to delete");
    for typed in ["", "confir", "Confirm", "confirm "] {
        type_into(&field, typed).await;
        assert!(unavailable(&go), "{typed:?} is not the word");
        assert_eq!(described(&root, &go), "Type confirm in the field above to delete the instance.");
    }
    click(&go);
    settle().await;
    assert!(!fake_asked().contains(&delete), "nothing is sent before the word is typed");

    type_into(&field, "confirm").await;
    assert!(!unavailable(&go));
    click(&go);
    wait_for("the refusal to show", || text_of(&dialog).contains("“Orders” uses it")).await;
    assert!(dialog.open(), "a refusal keeps the dialog open");
    assert_eq!(by_role(&dialog, "alert").len(), 1);

    click(&go);
    wait_for("manage connectors", || window().location().pathname().unwrap() == "/connectors").await;
    wait_for("the status message", || root.query_selector("[role=\"status\"]").unwrap().is_some()).await;
    let status = root.query_selector("[role=\"status\"]").unwrap().unwrap();
    assert_eq!(text_of(&status), format!("The instance “{}” was deleted.", settings.details.name));
    assert_eq!(fake_asked().iter().filter(|a| **a == delete).count(), 2);
}

#[wasm_bindgen_test]
async fn an_instance_in_use_names_its_flows_and_offers_no_way_to_delete() {
    let mut settings = shopify_uk();
    settings.process_flows = vec![
        ProcessFlowRef { id: 1, name: "Nightly orders".into(), enabled: true },
        ProcessFlowRef { id: 2, name: "Archive".into(), enabled: false },
    ];
    let (root, _handle, _fake) = open_settings(&settings, &[]).await;
    let card = delete_card(&root);
    let text = text_of(&card);
    assert!(text.contains("cannot be deleted while these process flows use it"), "{text}");
    assert!(text.contains("Nightly orders") && text.contains("Archive"), "{text}");
    assert!(all(&card, "button").is_empty(), "no way to delete");
    assert!(root.query_selector("dialog[aria-labelledby=\"delete-dialog-title\"]").unwrap().is_none());
}
