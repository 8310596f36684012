//! Component tests of the `developer settings` page in headless Chromium:
//! the page is mounted as the app mounts it, with `fetch` faked, and driven
//! the way a user would (typing, clicking, the revoke question).
#![cfg(target_arch = "wasm32")]

use conduit_types::developer::{ApiKeySummary, CreatedApiKey, DeveloperSettings};
use conduit_types::{ErrorBody, ErrorCode, FieldError};
use conduit_web::pages::developer::DeveloperPage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

/// 1 Jan 2026, 00:00 UTC.
const NEW_YEAR: i64 = 1_767_225_600;

fn key(id: i64, name: &str, last_used_at: Option<i64>) -> ApiKeySummary {
    ApiKeySummary {
        id,
        name: name.into(),
        prefix: format!("ck_{id}a9c1"),
        created_at: NEW_YEAR,
        created_by: "Ada Lovelace".into(),
        last_used_at,
    }
}

fn settings(keys: Vec<ApiKeySummary>, origins: &[&str]) -> String {
    json(&DeveloperSettings { keys, origins: origins.iter().map(|o| o.to_string()).collect() })
}

fn refusal(fields: &[(&str, &str)]) -> String {
    json(&ErrorBody {
        code: ErrorCode::Validation,
        message: "Check the highlighted fields.".into(),
        fields: fields.iter().map(|(field, message)| FieldError { field: field.to_string(), message: message.to_string() }).collect(),
        conflict: None,
    })
}

/// Mounts the page with `fetch` answering `answers`, once it has loaded.
async fn open_page(answers: &[(&str, u16, String)]) -> (HtmlElement, impl Drop, FakeApi) {
    let fake = fake_api(answers);
    let (root, handle) = mount_in_app(|| view! { <DeveloperPage /> });
    wait_for("the page to load", || root.query_selector("#api-keys-heading").unwrap().is_some()).await;
    (root, handle, fake)
}

fn rows(root: &Element) -> Vec<String> {
    all(root, ".key-table tbody tr").iter().map(text_of).collect()
}

fn invalid(input: &HtmlInputElement) -> bool {
    attr(input, "aria-invalid").as_deref() == Some("true")
}

/// The secret shown, if any: its field is visible and holds it.
fn secret_shown(root: &Element) -> Option<String> {
    let input: HtmlInputElement = root.query_selector("#api-key-secret").unwrap()?.unchecked_into();
    let visible = input.closest("[hidden]").unwrap().is_none();
    (visible && !input.value().is_empty()).then(|| input.value())
}

fn is_focused(element: &Element) -> bool {
    focused().is_some_and(|f| f.is_same_node(Some(element)))
}

#[wasm_bindgen_test]
async fn the_page_lists_keys_and_origins_with_labels_and_roles() {
    let body = settings(vec![key(2, "partner portal", None), key(1, "staging", Some(NEW_YEAR + 9 * 3600 + 5 * 60))], &["https://portal.example.com"]);
    let (root, _handle, _fake) = open_page(&[("GET /api/developer", 200, body)]).await;

    assert_eq!(text_of(&root.query_selector("h1").unwrap().unwrap()), "developer settings");
    let trail = named(all(&root, "nav"), "breadcrumb");
    assert!(text_of(&trail).ends_with("developer settings"));
    let headers: Vec<String> = all(&root, ".key-table th").iter().map(name_of).collect();
    assert_eq!(headers, ["name", "prefix", "created by", "created", "last used", "revoke"]);
    assert_eq!(
        rows(&root),
        [
            "partner portal ck_2a9c1 Ada Lovelace 1 Jan 2026 never used revoke partner portal",
            "staging ck_1a9c1 Ada Lovelace 1 Jan 2026 1 Jan 2026, 09:05 UTC revoke staging",
        ]
    );
    assert!(button(&root, "revoke partner portal").is_connected());
    assert_eq!(input_labelled(&root, "key name").value(), "");
    assert!(button(&root, "create API key").is_connected());

    let origin = input_labelled(&root, "origin 1");
    assert_eq!(origin.value(), "https://portal.example.com");
    assert!(!invalid(&origin));
    assert!(button(&root, "remove origin 1").is_connected());
    assert!(button(&root, "add origin").is_connected());
    assert!(button(&root, "save origins").is_connected());
    assert!(text_of(&root).contains("An origin is where a portal that embeds instance settings is served from"));
    assert!(text_of(&root).contains("e.g. https://portal.example.com"));
}

#[wasm_bindgen_test]
async fn creating_a_key_shows_its_secret_once_and_focuses_it() {
    let created = |id, secret: &str| json(&CreatedApiKey { key: key(id, "ci", None), secret: secret.into() });
    let (root, _handle, _fake) = open_page(&[
        ("GET /api/developer", 200, settings(vec![], &[])),
        ("POST /api/developer/keys", 201, created(5, "ck_5a9c1_first_secret")),
        ("POST /api/developer/keys", 201, created(6, "ck_6a9c1_second_secret")),
    ])
    .await;
    assert!(text_of(&root).contains("no API keys yet"));

    // Without a name: the error at the field, which takes focus; nothing sent.
    let name = input_labelled(&root, "key name");
    click(&button(&root, "create API key"));
    wait_for("the name to be marked", || invalid(&name)).await;
    assert!(described(&root, &name).contains("Enter a name for the key"));
    wait_for("focus on the name", || is_focused(&name)).await;
    assert!(!fake_asked().contains(&"POST /api/developer/keys".to_string()));

    type_into(&name, "ci").await;
    assert!(!invalid(&name), "fixed as typed");
    click(&button(&root, "create API key"));
    wait_for("the secret to be shown", || secret_shown(&root).is_some()).await;
    let secret = input_labelled(&root, "new API key: ci");
    assert_eq!(secret.value(), "ck_5a9c1_first_secret");
    assert!(secret.read_only());
    assert!(described(&root, &secret).contains("it will not be shown again"));
    wait_for("focus on the secret", || is_focused(&secret)).await;
    assert!(button(&root, "copy").is_connected());
    assert_eq!(rows(&root), ["ci ck_5a9c1 Ada Lovelace 1 Jan 2026 never used revoke ci"]);
    assert_eq!(input_labelled(&root, "key name").value(), "", "the form is ready for the next key");

    // The next key replaces it: a secret is never shown twice.
    type_into(&input_labelled(&root, "key name"), "ci").await;
    click(&button(&root, "create API key"));
    wait_for("the second secret", || secret_shown(&root).as_deref() == Some("ck_6a9c1_second_secret")).await;
    assert!(!text_of(&root).contains("first_secret"));
    assert!(all(&root, "input").iter().all(|i| i.unchecked_ref::<HtmlInputElement>().value() != "ck_5a9c1_first_secret"));
    assert_eq!(rows(&root).len(), 2);
}

#[wasm_bindgen_test]
async fn a_refused_key_name_keeps_what_was_typed_with_the_error_at_the_field() {
    let (root, _handle, _fake) = open_page(&[
        ("GET /api/developer", 200, settings(vec![], &[])),
        ("POST /api/developer/keys", 422, refusal(&[("name", "A key with this name already exists.")])),
    ])
    .await;
    let name = input_labelled(&root, "key name");
    type_into(&name, "partner portal").await;
    click(&button(&root, "create API key"));
    wait_for("the refusal at the name", || invalid(&name)).await;
    assert!(described(&root, &name).contains("A key with this name already exists."));
    assert_eq!(name.value(), "partner portal");
    wait_for("focus on the name", || is_focused(&name)).await;
    assert_eq!(secret_shown(&root), None);
}

#[wasm_bindgen_test]
async fn an_invalid_origin_shows_its_error_at_the_field_as_typed() {
    let (root, _handle, _fake) =
        open_page(&[("GET /api/developer", 200, settings(vec![], &["https://portal.example.com"]))]).await;
    click(&button(&root, "add origin"));
    wait_for("a second origin field", || all(&root, "label").iter().any(|l| name_of(l) == "origin 2")).await;
    let added = input_labelled(&root, "origin 2");
    wait_for("focus on the new field", || is_focused(&added)).await;
    assert!(!invalid(&added), "not an error before anything is typed");
    assert!(text_of(&root).contains("unsaved changes"));

    type_into(&added, "https://portal.example.com/embed").await;
    assert!(invalid(&added));
    assert!(described(&root, &added).contains("An origin has no path"), "{}", described(&root, &added));
    assert_eq!(added.value(), "https://portal.example.com/embed", "what was typed stays");
    type_into(&added, "http://partner.example").await;
    assert!(described(&root, &added).contains("https://"));

    // Saving sends nothing while a field is wrong, and focuses it.
    (focused().unwrap().unchecked_into::<HtmlElement>()).blur().unwrap();
    click(&button(&root, "save origins"));
    wait_for("focus on the wrong field", || is_focused(&added)).await;
    assert!(!fake_asked().contains(&"PUT /api/developer/origins".to_string()));

    type_into(&added, "https://partner.example").await;
    assert!(!invalid(&added));
    assert_eq!(attr(&added, "aria-describedby"), None);

    // Removing the first field moves focus to the one that took its place.
    click(&button(&root, "remove origin 1"));
    settle().await;
    let left = input_labelled(&root, "origin 1");
    assert_eq!(left.value(), "https://partner.example");
    wait_for("focus on the next field", || is_focused(&left)).await;
}

#[wasm_bindgen_test]
async fn a_422_from_the_server_lands_at_the_matching_origin_and_a_save_is_announced() {
    let saved = settings(vec![], &["https://a.example", "https://b.example"]);
    let (root, _handle, _fake) = open_page(&[
        ("GET /api/developer", 200, settings(vec![], &["https://a.example"])),
        ("PUT /api/developer/origins", 422, refusal(&[("origins.1", "This origin is not allowed.")])),
        ("PUT /api/developer/origins", 200, saved),
    ])
    .await;
    click(&button(&root, "add origin"));
    settle().await;
    let second = input_labelled(&root, "origin 2");
    type_into(&second, "https://b.example/").await;
    let save = button(&root, "save origins");
    save.unchecked_ref::<HtmlElement>().focus().unwrap();
    click(&save);
    wait_for("the refusal at origin 2", || invalid(&second)).await;
    assert!(described(&root, &second).contains("This origin is not allowed."));
    let first = input_labelled(&root, "origin 1");
    assert!(!invalid(&first), "only the field it names");
    assert_eq!((first.value(), second.value()), ("https://a.example".into(), "https://b.example/".into()), "nothing typed is lost");
    wait_for("focus on the refused field", || is_focused(&second)).await;

    // The refusal stays until the field is edited; then (the server now
    // accepts) saving works and says so.
    click(&button(&root, "save origins"));
    settle().await;
    assert_eq!(fake_asked().iter().filter(|a| *a == "PUT /api/developer/origins").count(), 1, "not sent again unchanged");
    type_into(&second, "https://B.example/").await;
    assert!(!invalid(&second));
    click(&button(&root, "save origins"));
    wait_for("the save to be announced", || by_role(&root, "status").iter().any(|s| text_of(s) == "origins saved")).await;
    assert_eq!(input_labelled(&root, "origin 2").value(), "https://b.example", "as the server saved it");
    assert_eq!(fake_asked().iter().filter(|a| *a == "PUT /api/developer/origins").count(), 2);
}

#[wasm_bindgen_test]
async fn revoking_a_key_asks_first_then_removes_it_and_keeps_focus() {
    let (root, _handle, _fake) = open_page(&[
        ("GET /api/developer", 200, settings(vec![key(2, "portal", None), key(1, "staging", None)], &[])),
        ("DELETE /api/developer/keys/2", 204, String::new()),
        ("DELETE /api/developer/keys/1", 204, String::new()),
    ])
    .await;
    let dialog = dialog_titled(&root, "revoke-key-title");
    let revoke = button(&root, "revoke portal");
    click(&revoke);
    settle().await;
    assert!(dialog.open(), "asks first");
    assert!(text_of(&dialog).contains("portal"), "names the key");
    assert!(!fake_asked().iter().any(|a| a.starts_with("DELETE")));

    click(&button(&dialog, "keep the key"));
    settle().await;
    assert!(!dialog.open());
    assert!(is_focused(&revoke), "focus goes back to the button that asked");
    assert_eq!(rows(&root).len(), 2);

    click(&revoke);
    settle().await;
    click(&button(&dialog, "revoke API key"));
    wait_for("the key to go", || rows(&root).len() == 1).await;
    assert!(fake_asked().contains(&"DELETE /api/developer/keys/2".to_string()));
    let next = button(&root, "revoke staging");
    wait_for("focus on the next key's revoke", || is_focused(&next)).await;

    click(&next);
    settle().await;
    click(&button(&dialog, "revoke API key"));
    wait_for("the last key to go", || rows(&root).is_empty()).await;
    let heading = root.query_selector("#api-keys-heading").unwrap().unwrap();
    wait_for("focus on the list's heading", || is_focused(&heading)).await;
    assert!(text_of(&root).contains("no API keys yet"));
}
