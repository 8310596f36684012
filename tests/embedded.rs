//! Component tests of the instance settings as an embedded page shows them
//! (inside a host's iframe, found by their [`SettingsHost`]), in headless
//! Chromium with `fetch` faked: when the browser blocks the provider's
//! popup, the page does not leave the iframe but offers the provider's page
//! as a link to open in a window of its own, and hears from the server how
//! authorising went; and a question opens where the person is looking, by
//! the button that asked it, not in the middle of a page as tall as its content.
#![cfg(target_arch = "wasm32")]

use conduit_types::draft::{AuthorisationState, AuthorisationStatus, AuthoriseStart, InstanceDraft, InstanceHistory};
use conduit_types::fixtures::shopify_uk;
use conduit_types::{AuthFieldValue, InstanceAuthentication};
use conduit_web::api::ApiClient;
use conduit_web::components::confirm_dialog::{self, ConfirmDialog};
use conduit_web::pages::instance_settings::InstanceSettingsPage;
use conduit_web::settings_host::SettingsHost;
use leptos::{html, mount::mount_to, prelude::*};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

const CONSENT: &str = "https://provider.example/authorize?state=s";

#[wasm_bindgen_test]
async fn a_blocked_popup_in_an_embedded_page_becomes_a_link_and_the_page_waits_for_the_server() {
    let mut settings = shopify_uk();
    settings.authentication = InstanceAuthentication {
        method: "oauth_app".into(),
        fields: [
            ("client_id".to_string(), AuthFieldValue::Plain { value: "app".into() }),
            ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
        ]
        .into(),
        authorised_at: None,
    };
    let id = settings.id;
    let status = |state| AuthorisationStatus {
        instance_id: id,
        base_version: settings.version,
        state,
        draft: InstanceDraft::from_settings(&settings),
    };
    let start = AuthoriseStart { authorisation: "a1".into(), url: CONSENT.into() };
    let authorised = AuthorisationState::Authorised { expires_at: 2_000_000_000, granted_scope: None };
    let _fake = fake_api(&[
        (&format!("GET /api/instances/{id}"), 200, json(&settings)),
        (&format!("GET /api/instances/{id}/history"), 200, json(&InstanceHistory { entries: vec![] })),
        (&format!("POST /api/instances/{id}/authorise"), 200, json(&start)),
        ("GET /api/authorisations/a1", 200, json(&status(AuthorisationState::Pending))),
        ("GET /api/authorisations/a1", 200, json(&status(authorised))),
    ]);
    // The browser blocks every popup.
    let open = js_sys::Reflect::get(&window(), &"open".into()).unwrap();
    let blocked = js_sys::Function::new_no_args("return null;");
    js_sys::Reflect::set(&window(), &"open".into(), &blocked).unwrap();
    let history = window().history().unwrap();
    let before = window().location().pathname().unwrap();
    let here = format!("/embed/1/instances/{id}/settings/authentication");
    history.replace_state_with_url(&JsValue::NULL, "", Some(&here)).unwrap();

    let root = container();
    let handle = mount_to(root.clone(), move || {
        provide_context(ApiClient::new());
        provide_context(SettingsHost::new("/embed/1".into(), Callback::new(|_| {})));
        view! {
            <Router>
                <Routes fallback=|| "nothing">
                    <Route path=path!("/embed/:company/instances/:id/settings/:tab") view=InstanceSettingsPage />
                </Routes>
            </Router>
        }
    });
    wait_for("the settings", || !all(&root, "button").is_empty() && text_of(&root).contains("so there is no connection test")).await;
    click(&button(&root, "authorise"));
    wait_for("the link to the provider", || !all(&root, "a[target='_blank']").is_empty()).await;
    let link = &all(&root, "a[target='_blank']")[0];
    assert_eq!(name_of(link), "open the provider's page");
    assert_eq!(attr(link, "href").as_deref(), Some(CONSENT));
    assert_eq!(attr(link, "rel").as_deref(), Some("noopener"));
    assert!(text_of(&root).contains("Your browser blocked the provider's window."));
    assert_eq!(window().location().pathname().unwrap(), here, "the page stayed in the iframe");

    // The person allows access in the window they opened: the server says so.
    // (The page asks every second.)
    for _ in 0..50 {
        if text_of(&root).contains("authorised with the provider: save instance settings to keep it") {
            break;
        }
        sleep_ms(100).await;
    }
    assert!(text_of(&root).contains("authorised with the provider: save instance settings to keep it"), "{}", text_of(&root));
    assert!(all(&root, "a[target='_blank']").is_empty(), "the link goes once authorising ended");
    assert!(fake_asked().iter().filter(|a| *a == "GET /api/authorisations/a1").count() >= 2);

    drop(handle);
    js_sys::Reflect::set(&window(), &"open".into(), &open).unwrap();
    history.replace_state_with_url(&JsValue::NULL, "", Some(&before)).unwrap();
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_embedded_pages_question_opens_just_above_the_button_that_asked_it() {
    let root = container();
    let dialog = NodeRef::<html::Dialog>::new();
    let button = NodeRef::<html::Button>::new();
    let handle = mount_to(root.clone(), move || {
        view! {
            <div style="height: 2400px"></div>
            <button type="button" node_ref=button>"save instance settings"</button>
            <ConfirmDialog
                dialog
                return_focus=button
                id="far"
                title="save instance settings?"
                text="These process flows use this instance."
                confirm="save now"
                on_confirm=Callback::new(|()| {})
            />
        }
    });
    settle().await;
    let html = document().document_element().unwrap();
    html.class_list().add_1("embedded").unwrap();
    confirm_dialog::open(dialog, button);
    settle().await;
    let asked = button.get_untracked().unwrap().get_bounding_client_rect();
    let question = dialog.get_untracked().unwrap().get_bounding_client_rect();
    assert!(question.bottom() <= asked.top(), "above the button: {} {}", question.bottom(), asked.top());
    assert!(asked.top() - question.bottom() < 40.0, "just above it: {} {}", question.bottom(), asked.top());
    dialog.get_untracked().unwrap().close();
    html.class_list().remove_1("embedded").unwrap();
    drop(handle);
}
