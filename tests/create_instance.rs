//! Component tests of adding and duplicating an instance in headless
//! Chromium: the same editor over a new draft, mounted in the app's router
//! with `fetch` faked. `add new instance` on a connector card; save locked
//! until the new draft passes a test; the server's name refusal at the name
//! field; landing on the new instance's settings; a duplicate opening on
//! its `authentication` tab asking for the secret it did not copy.
#![cfg(target_arch = "wasm32")]

use conduit_types::create::{blank_settings, duplicate_draft, new_draft, NewInstanceDraft, NAME_TAKEN};
use conduit_types::draft::{InstanceHistory, TestDraftResponse, TestReceipt, FIELD_NAME};
use conduit_types::fixtures::shopify_uk;
use conduit_types::{ConnectorSummary, ErrorBody, ErrorCode, FieldError, InstanceSettings, TestOutcome, TestResult};
use conduit_web::api::ApiClient;
use conduit_web::components::connector_card::ConnectorCard;
use conduit_web::pages::instance_settings::InstanceSettingsPage;
use conduit_web::pages::new_instance::{DuplicateInstancePage, NewInstancePage};
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

const TEST_FIRST: &str = "These changes affect the connection: test instance connection, and save once the test passes.";

/// Mounts the app's pages at `path` with `fetch` answering `answers`.
async fn open(path: &str, answers: Vec<(String, u16, String)>, ready: &str) -> (HtmlElement, impl Drop, FakeApi) {
    let fake = fake_api(&answers.iter().map(|(k, s, b)| (k.as_str(), *s, b.clone())).collect::<Vec<_>>());
    window().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(path)).unwrap();
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! {
            <Router>
                <Routes fallback=|| "nothing">
                    <Route path=path!("/connectors/:connector/instances/new") view=NewInstancePage />
                    <Route path=path!("/instances/:id/duplicate") view=DuplicateInstancePage />
                    <Route path=path!("/instances/:id/settings/:tab") view=InstanceSettingsPage />
                </Routes>
            </Router>
        }
    });
    let ready = ready.to_owned();
    wait_for("the page to load", || all(&root, "h1").iter().any(|h| text_of(h) == ready)).await;
    (root, handle, fake)
}

fn blank() -> NewInstanceDraft {
    let settings = blank_settings(shopify_uk().connector, vec![]);
    let draft = new_draft(&settings);
    NewInstanceDraft { settings, draft, copy_of: None, certificate: None }
}

fn passed() -> String {
    json(&TestDraftResponse {
        result: TestResult {
            outcome: TestOutcome::Ok,
            message: "The credentials were accepted.".into(),
            steps: vec![],
            http_status: Some(200),
            duration_ms: 80,
            fix: None,
        },
        receipt: Some(TestReceipt { token: "receipt-1".into(), expires_at: 2_000_000_000 }),
        status: None,
    })
}

fn created(name: &str) -> InstanceSettings {
    let mut settings = shopify_uk();
    settings.id = 31;
    settings.version = 1;
    settings.details.name = name.into();
    settings
}

/// The tab labelled `label` (its name may add marks: "(unsaved changes)").
fn tab(root: &Element, label: &str) -> Element {
    let tabs = by_role(root, "tab");
    let names: Vec<String> = tabs.iter().map(name_of).collect();
    tabs.into_iter()
        .find(|t| name_of(t) == label || name_of(t).starts_with(&format!("{label} (")))
        .unwrap_or_else(|| panic!("no tab {label:?} among {names:?}"))
}

fn save_unavailable(root: &Element) -> bool {
    attr(&button(root, "save instance settings"), "aria-disabled").as_deref() == Some("true")
}

#[wasm_bindgen_test]
fn each_connector_card_offers_add_new_instance() {
    let connector = ConnectorSummary {
        id: 4,
        slug: "shopify".into(),
        name: "Shopify".into(),
        instances: vec![],
        instance_count: 0,
        matching_count: 0,
        next: None,
    };
    let root = container();
    let _handle = mount_to(root.clone(), move || view! { <ConnectorCard connector=connector.clone() /> });
    let add = named(all(&root, "a"), "add new instance");
    assert_eq!(attr(&add, "href").as_deref(), Some("/connectors/4/instances/new"));
    assert_eq!(described(&root, &add), "Shopify", "the link says which connector it adds to");
}

#[wasm_bindgen_test]
async fn a_new_instance_is_saved_only_after_a_passing_test_and_a_taken_name_shows_at_its_field() {
    let taken = ErrorBody {
        code: ErrorCode::Validation,
        message: "Some fields need attention.".into(),
        fields: vec![FieldError { field: FIELD_NAME.into(), message: NAME_TAKEN.into() }],
        conflict: None,
    };
    let answers = vec![
        ("GET /api/connectors/1/instances/new".to_string(), 200, json(&blank())),
        ("POST /api/connectors/1/instances/test".to_string(), 200, passed()),
        ("POST /api/connectors/1/instances".to_string(), 422, json(&taken)),
        ("POST /api/connectors/1/instances".to_string(), 201, json(&created("Shopify - DE"))),
        ("GET /api/instances/31".to_string(), 200, json(&created("Shopify - DE"))),
        ("GET /api/instances/31/history".to_string(), 200, json(&InstanceHistory { entries: vec![] })),
    ];
    let (root, _handle, _fake) = open("/connectors/1/instances/new", answers, "add new instance").await;
    assert_eq!(attr(&tab(&root, "instance details"), "aria-selected").as_deref(), Some("true"));
    assert_eq!(input_labelled(&root, "name").value(), "", "a blank draft");

    type_into(&input_labelled(&root, "name"), "Shopify - UK").await;
    type_into(&input_labelled(&root, "store name"), "acme-de").await;
    click(&tab(&root, "authentication"));
    settle().await;
    type_into(&input_labelled(&root, "token"), "shpat_new").await;
    assert!(save_unavailable(&root));
    assert!(described(&root, &button(&root, "save instance settings")).contains(TEST_FIRST));
    click(&button(&root, "save instance settings"));
    settle().await;
    assert!(!fake_asked().iter().any(|a| a == "POST /api/connectors/1/instances"), "nothing is created untested");

    click(&button(&root, "test instance connection"));
    wait_for("save to open", || !save_unavailable(&root)).await;
    assert!(fake_asked().contains(&"POST /api/connectors/1/instances/test".to_string()));
    click(&button(&root, "save instance settings"));
    wait_for("the name's refusal", || text_of(&root).contains(NAME_TAKEN)).await;
    click(&tab(&root, "instance details"));
    settle().await;
    let name = input_labelled(&root, "name");
    assert_eq!(attr(&name, "aria-invalid").as_deref(), Some("true"));
    assert!(described(&root, &name).contains(NAME_TAKEN), "{}", described(&root, &name));

    // A new name keeps the passing test: the test covers the connection only.
    type_into(&name, "Shopify - DE").await;
    assert!(!save_unavailable(&root));
    click(&button(&root, "save instance settings"));
    wait_for("the new instance's settings", || window().location().pathname().unwrap() == "/instances/31/settings/details").await;
    wait_for("its name", || all(&root, "h1").iter().any(|h| text_of(h) == "Shopify - DE")).await;
    assert_eq!(fake_asked().iter().filter(|a| *a == "POST /api/connectors/1/instances").count(), 2);
}

#[wasm_bindgen_test]
async fn a_duplicate_opens_on_authentication_asking_for_the_secret_it_did_not_copy() {
    let original = shopify_uk();
    let settings = blank_settings(original.connector.clone(), vec![]);
    let copy = NewInstanceDraft {
        draft: duplicate_draft(&original, "Shopify - UK (copy)".into(), None),
        settings,
        copy_of: Some("Shopify - UK".into()),
        certificate: None,
    };
    let answers = vec![
        (format!("GET /api/instances/{}/duplicate", original.id), 200, json(&copy)),
        ("POST /api/connectors/1/instances/test".to_string(), 200, passed()),
    ];
    let path = format!("/instances/{}/duplicate", original.id);
    let (root, _handle, _fake) = open(&path, answers, "duplicate instance").await;
    assert!(text_of(&root).contains("a copy of “Shopify - UK”"), "{}", text_of(&root));
    assert_eq!(attr(&tab(&root, "authentication"), "aria-selected").as_deref(), Some("true"));
    let token = input_labelled(&root, "token");
    assert_eq!(token.value(), "", "no secret was copied");
    assert!(text_of(&root).contains("no value stored"));
    assert!(described(&root, &token).contains("Enter the token."), "{}", described(&root, &token));
    assert!(save_unavailable(&root));
    // The rest was copied.
    click(&tab(&root, "instance details"));
    settle().await;
    assert_eq!(input_labelled(&root, "name").value(), "Shopify - UK (copy)");
    assert_eq!(input_labelled(&root, "store name").value(), "acme-uk");

    click(&tab(&root, "authentication"));
    settle().await;
    type_into(&input_labelled(&root, "token"), "shpat_copy").await;
    click(&button(&root, "test instance connection"));
    wait_for("save to open", || !save_unavailable(&root)).await;
}

#[wasm_bindgen_test]
async fn instance_settings_offer_duplicate() {
    let settings = shopify_uk();
    let answers = vec![
        (format!("GET /api/instances/{}", settings.id), 200, json(&settings)),
        (format!("GET /api/instances/{}/history", settings.id), 200, json(&InstanceHistory { entries: vec![] })),
    ];
    let path = format!("/instances/{}/settings/details", settings.id);
    let (root, _handle, _fake) = open(&path, answers, "Shopify - UK").await;
    let duplicate = named(all(&root, "a"), "duplicate");
    assert_eq!(attr(&duplicate, "href"), Some(format!("/instances/{}/duplicate", settings.id)));
}
