//! Component tests: each mounts one view into a fresh element in headless
//! Chromium, drives it the way a user would (clicks, keys, typing) and checks
//! the DOM by role, accessible name and visible text. No network: components
//! take data as props and report through callbacks.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use conduit_types::{
    AuthFieldValue, AuthKind, AuthMethodDef, CertificateState, CompanySummary, ConnectorSummary,
    FieldDef, InstanceAuthentication, InstanceDetails, InstanceStatus, InstanceSummary, Me,
    Placement, RateLimit, RateLimitUnit, UserSummary,
};
use conduit_web::api::ApiClient;
use conduit_web::components::{
    authentication_panel::AuthenticationPanel,
    breadcrumb::{Breadcrumb, Crumb},
    certificates_panel::CertificatesPanel,
    connector_directory::ConnectorDirectory,
    details_panel::DetailsPanel,
    instance_row::InstanceRow,
    tabs::{TabSpec, Tabs},
    user_menu::UserMenu,
};
use conduit_web::pages::login::LoginPage;
use conduit_web::session::Session;
use leptos::{mount::mount_to, prelude::*};
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

// ------------------------------------------------------------------ helpers

/// A fresh element in the page to mount one component into.
fn container() -> HtmlElement {
    let element = document()
        .create_element("div")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

/// Lets effects, re-renders and event handlers run.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

/// The accessible name, as far as these components give one: `aria-label`,
/// else the text of everything not hidden from assistive technology.
fn name_of(element: &Element) -> String {
    if let Some(label) = element.get_attribute("aria-label") {
        return label;
    }
    let copy = element
        .clone_node_with_deep(true)
        .unwrap()
        .unchecked_into::<Element>();
    for hidden in all(&copy, "[aria-hidden=\"true\"]") {
        hidden.remove();
    }
    copy.text_content()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rendered text (`innerText`, so separate elements stay separate words)
/// with runs of white space collapsed, as a reader would see it.
fn text_of(element: &Element) -> String {
    element
        .unchecked_ref::<HtmlElement>()
        .inner_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn by_role(root: &Element, role: &str) -> Vec<Element> {
    all(root, &format!("[role=\"{role}\"]"))
}

fn named(elements: Vec<Element>, name: &str) -> Element {
    let names: Vec<String> = elements.iter().map(name_of).collect();
    elements
        .into_iter()
        .find(|e| name_of(e) == name)
        .unwrap_or_else(|| panic!("nothing named {name:?} among {names:?}"))
}

fn attr(element: &Element, name: &str) -> Option<String> {
    element.get_attribute(name)
}

/// The input a `<label>` with this text points at.
fn input_labelled(root: &Element, label: &str) -> HtmlInputElement {
    let label = named(all(root, "label"), label);
    let id = attr(&label, "for").expect("the label names its input");
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .expect("the labelled input exists")
        .unchecked_into()
}

async fn press(element: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
    settle().await;
}

async fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
}

fn focused() -> Option<Element> {
    document().active_element()
}

fn instance(id: i64, name: &str, status: InstanceStatus, flows: u32) -> InstanceSummary {
    InstanceSummary {
        id,
        name: name.into(),
        auth_kind: AuthKind::Token,
        auth_method_label: "admin API access token".into(),
        status,
        last_tested_at: None,
        process_flow_count: flows,
    }
}

fn field(key: &str, label: &str, secret: bool) -> FieldDef {
    FieldDef {
        key: key.into(),
        label: label.into(),
        help: None,
        secret,
        required: true,
        placement: Placement::Auth,
    }
}

// --------------------------------------------------------------------- tabs

fn settings_tabs() -> Vec<TabSpec> {
    vec![
        TabSpec {
            key: "details",
            label: "instance details",
        },
        TabSpec {
            key: "authentication",
            label: "authentication",
        },
        TabSpec {
            key: "certificates",
            label: "certificates",
        },
    ]
}

/// Mounts the tabs with the selection owned by the test, as the settings
/// page owns it through the URL. Returns the container, the selection and
/// every index `on_select` was called with.
fn mount_tabs() -> (
    HtmlElement,
    RwSignal<usize>,
    RwSignal<Vec<usize>>,
    impl Drop,
) {
    let root = container();
    let selected = RwSignal::new(0usize);
    let requests = RwSignal::new(Vec::<usize>::new());
    let handle = mount_to(root.clone(), move || {
        let on_select = Callback::new(move |index: usize| {
            requests.update(|r| r.push(index));
            selected.set(index);
        });
        view! {
            <Tabs label="instance settings" tabs=settings_tabs() selected on_select panel_id="panel">
                {move || format!("showing tab {}", selected.get())}
            </Tabs>
        }
    });
    (root, selected, requests, handle)
}

#[wasm_bindgen_test]
async fn tabs_have_the_tab_roles_and_follow_the_selection() {
    let (root, selected, _, _handle) = mount_tabs();
    settle().await;

    let list = by_role(&root, "tablist");
    assert_eq!(list.len(), 1);
    assert_eq!(
        attr(&list[0], "aria-label").as_deref(),
        Some("instance settings")
    );

    let tabs = by_role(&root, "tab");
    let names: Vec<String> = tabs.iter().map(name_of).collect();
    assert_eq!(
        names,
        ["instance details", "authentication", "certificates"]
    );
    let state = |tabs: &[Element]| -> Vec<(Option<String>, Option<String>)> {
        tabs.iter()
            .map(|t| (attr(t, "aria-selected"), attr(t, "tabindex")))
            .collect()
    };
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        state(&tabs),
        [
            (s("true"), s("0")),
            (s("false"), s("-1")),
            (s("false"), s("-1"))
        ]
    );
    for tab in &tabs {
        assert_eq!(attr(tab, "aria-controls").as_deref(), Some("panel"));
    }

    let panels = by_role(&root, "tabpanel");
    assert_eq!(panels.len(), 1);
    assert_eq!(attr(&panels[0], "id").as_deref(), Some("panel"));
    assert_eq!(attr(&panels[0], "aria-labelledby"), attr(&tabs[0], "id"));
    assert_eq!(text_of(&panels[0]), "showing tab 0");

    selected.set(2);
    settle().await;
    assert_eq!(
        state(&tabs),
        [
            (s("false"), s("-1")),
            (s("false"), s("-1")),
            (s("true"), s("0"))
        ]
    );
    assert_eq!(attr(&panels[0], "aria-labelledby"), attr(&tabs[2], "id"));
    assert_eq!(text_of(&panels[0]), "showing tab 2");
}

#[wasm_bindgen_test]
async fn clicking_a_tab_asks_for_it() {
    let (root, selected, requests, _handle) = mount_tabs();
    settle().await;

    let authentication = named(by_role(&root, "tab"), "authentication");
    authentication.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(requests.get_untracked(), [1]);
    assert_eq!(selected.get_untracked(), 1);
    assert_eq!(
        attr(&authentication, "aria-selected").as_deref(),
        Some("true")
    );

    // Clicking the selected tab again asks for nothing.
    authentication.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(requests.get_untracked(), [1]);
}

#[wasm_bindgen_test]
async fn arrow_home_and_end_keys_move_selection_and_focus_with_wrapping() {
    let (root, selected, requests, _handle) = mount_tabs();
    settle().await;
    let tabs = by_role(&root, "tab");
    tabs[0].unchecked_ref::<HtmlElement>().focus().unwrap();

    // Each key is pressed on the focused tab, where a user's key lands.
    let steps = [
        ("ArrowRight", 1),
        ("ArrowRight", 2),
        ("ArrowRight", 0), // wraps from the last to the first
        ("ArrowLeft", 2),  // and from the first to the last
        ("ArrowLeft", 1),
        ("Home", 0),
        ("End", 2),
    ];
    for (key, expected) in steps {
        let on = focused().expect("a tab has focus");
        press(&on, key).await;
        assert_eq!(selected.get_untracked(), expected, "after {key}");
        assert_eq!(
            focused().and_then(|f| attr(&f, "id")),
            attr(&tabs[expected], "id"),
            "focus after {key}"
        );
        assert_eq!(
            attr(&tabs[expected], "aria-selected").as_deref(),
            Some("true")
        );
        assert_eq!(attr(&tabs[expected], "tabindex").as_deref(), Some("0"));
    }
    assert_eq!(requests.get_untracked(), [1, 2, 0, 2, 1, 0, 2]);

    // Other keys are left alone.
    press(&tabs[2], "Enter").await;
    press(&tabs[2], "ArrowDown").await;
    assert_eq!(selected.get_untracked(), 2);
    assert_eq!(requests.get_untracked().len(), 7);
}

// ------------------------------------------------------------- instance row

fn mount_row(instance: InstanceSummary) -> (HtmlElement, impl Drop) {
    let root = container();
    let handle = mount_to(
        root.clone(),
        move || view! { <ul><InstanceRow instance /></ul> },
    );
    (root, handle)
}

#[wasm_bindgen_test]
async fn an_instance_row_names_its_settings_cog_and_says_status_in_words() {
    let mut row = instance(10, "Shopify - UK", InstanceStatus::FailedAuthentication, 3);
    row.auth_kind = AuthKind::Oauth2ClientCredentials;
    row.auth_method_label = "custom app".into();
    let (root, _handle) = mount_row(row);
    settle().await;

    let cog = named(all(&root, "a, button"), "settings for Shopify - UK");
    assert_eq!(
        attr(&cog, "href").as_deref(),
        Some("/instances/10/settings/details")
    );
    // The cog is an icon: its name comes from aria-label, the SVG is hidden.
    for svg in all(&cog, "svg") {
        assert_eq!(attr(&svg, "aria-hidden").as_deref(), Some("true"));
    }

    let text = text_of(&root);
    assert!(text.contains("Shopify - UK"), "{text}");
    assert!(text.contains("custom app"), "{text}");
    assert!(text.contains("OAuth 2 (client credentials)"), "{text}");
    assert!(text.contains("used in 3 process flows"), "{text}");
    let badge = all(&root, ".badge");
    assert_eq!(badge.len(), 1);
    assert_eq!(text_of(&badge[0]), "failed authentication");
}

#[wasm_bindgen_test]
async fn an_instance_row_counts_one_or_no_process_flows_in_words() {
    let (one, _a) = mount_row(instance(1, "NetSuite", InstanceStatus::Operational, 1));
    let (none, _b) = mount_row(instance(2, "Sandbox", InstanceStatus::NotTested, 0));
    settle().await;
    assert!(text_of(&one).contains("used in 1 process flow"));
    assert!(!text_of(&one).contains("process flows"));
    assert!(text_of(&one).contains("operational"));
    assert!(text_of(&none).contains("not used in any process flow"));
    assert!(text_of(&none).contains("not tested"));
    named(all(&none, "a"), "settings for Sandbox");
}

// ------------------------------------------------------- connectors search

fn installed() -> Vec<ConnectorSummary> {
    vec![
        ConnectorSummary {
            id: 1,
            slug: "shopify".into(),
            name: "Shopify".into(),
            instances: vec![
                instance(10, "Shopify - UK", InstanceStatus::Operational, 2),
                instance(11, "Shopify - EU", InstanceStatus::Unreachable, 0),
            ],
        },
        ConnectorSummary {
            id: 2,
            slug: "netsuite".into(),
            name: "NetSuite".into(),
            instances: vec![
                instance(20, "NetSuite production", InstanceStatus::Operational, 1),
                instance(21, "UK sandbox", InstanceStatus::NotTested, 0),
            ],
        },
    ]
}

/// What the directory shows: each connector card's heading with the names of
/// the instances listed under it.
fn shown(root: &Element) -> Vec<(String, Vec<String>)> {
    all(root, "section")
        .iter()
        .map(|section| {
            let heading = text_of(&section.query_selector("h2").unwrap().unwrap());
            let instances = all(section, ".instance__name")
                .iter()
                .map(text_of)
                .collect();
            (heading, instances)
        })
        .collect()
}

fn owned(expected: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    expected
        .iter()
        .map(|(c, i)| (c.to_string(), i.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[wasm_bindgen_test]
async fn the_search_box_narrows_connectors_and_instances_as_you_type() {
    let root = container();
    let _handle = mount_to(
        root.clone(),
        || view! { <ConnectorDirectory connectors=installed() /> },
    );
    settle().await;

    assert_eq!(
        shown(&root),
        owned(&[
            ("Shopify", &["Shopify - UK", "Shopify - EU"]),
            ("NetSuite", &["NetSuite production", "UK sandbox"]),
        ])
    );
    // Each card is a section named by its heading, with an instance count.
    let first = &all(&root, "section")[0];
    assert!(text_of(first).contains("2 instances"));
    let heading_id = attr(&first.query_selector("h2").unwrap().unwrap(), "id");
    assert_eq!(attr(first, "aria-labelledby"), heading_id);

    let search = input_labelled(&root, "search connectors and instances");

    // An instance name matches: its connector shows with only that instance.
    type_into(&search, "uk").await;
    assert_eq!(
        shown(&root),
        owned(&[
            ("Shopify", &["Shopify - UK"]),
            ("NetSuite", &["UK sandbox"])
        ])
    );

    // A connector name matches: all of its instances show.
    type_into(&search, "NETSUITE").await;
    assert_eq!(
        shown(&root),
        owned(&[("NetSuite", &["NetSuite production", "UK sandbox"])])
    );
    let status = by_role(&root, "status");
    assert_eq!(text_of(&status[0]), "1 connector matches");

    // Nothing matches: say so, and offer to clear the search.
    type_into(&search, "salesforce").await;
    assert!(shown(&root).is_empty());
    assert!(text_of(&root).contains("nothing matches “salesforce”"));
    named(all(&root, "button"), "clear search")
        .unchecked_ref::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(search.value(), "");
    assert_eq!(shown(&root).len(), 2);
}

// ------------------------------------------------------------- breadcrumb

#[wasm_bindgen_test]
async fn the_breadcrumb_is_a_named_nav_ending_at_the_current_page() {
    let root = container();
    let _handle = mount_to(root.clone(), || {
        let trail = vec![
            Crumb::text("process flows"),
            Crumb::link("connectors & instances", "/connectors"),
            Crumb::text("Shopify - UK"),
            Crumb::text("instance settings"),
        ];
        view! { <Breadcrumb trail /> }
    });
    settle().await;

    let nav = root.query_selector("nav").unwrap().unwrap();
    assert_eq!(attr(&nav, "aria-label").as_deref(), Some("breadcrumb"));
    assert_eq!(
        text_of(&nav),
        "process flows ➤ connectors & instances ➤ Shopify - UK ➤ instance settings"
    );
    let link = named(all(&nav, "a"), "connectors & instances");
    assert_eq!(attr(&link, "href").as_deref(), Some("/connectors"));
    let current = all(&nav, "[aria-current=\"page\"]");
    assert_eq!(
        current.iter().map(text_of).collect::<Vec<_>>(),
        ["instance settings"]
    );
}

// --------------------------------------------------------- settings panels

#[wasm_bindgen_test]
async fn the_details_panel_reads_settings_and_connector_variables_by_label() {
    let root = container();
    let _handle = mount_to(root.clone(), || {
        let details = InstanceDetails {
            name: "Shopify - UK".into(),
            time_zone: "Europe/London".into(),
            date_format: "Y-m-d H:i:s".into(),
            rate_limit: Some(RateLimit {
                amount: 60,
                unit: RateLimitUnit::Minute,
            }),
            connection_pool: None,
            variables: BTreeMap::from([
                ("store".to_string(), "acme-uk".to_string()),
                ("webhook_key".to_string(), "never-show-me".to_string()),
            ]),
        };
        let variables = vec![
            field("store", "store name", false),
            field("webhook_key", "webhook signing key", true),
            field("region", "region", false),
        ];
        view! { <DetailsPanel details variables /> }
    });
    settle().await;

    let fields: Vec<(String, String)> = all(&root, ".field")
        .iter()
        .map(|f| {
            let label = text_of(&f.query_selector("dt").unwrap().unwrap());
            let value = text_of(&f.query_selector(".field__value").unwrap().unwrap());
            (label, value)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(l, v)| (l.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("name", "Shopify - UK"),
            ("time zone", "Europe/London"),
            ("date format", "Y-m-d H:i:s"),
            ("rate limit", "60 requests per minute"),
            ("connection pool", "none"),
            ("store name", "acme-uk"),
            ("webhook signing key", "stored"),
            ("region", "not set"),
        ]
    );
    assert!(!root.inner_html().contains("never-show-me"));
}

#[wasm_bindgen_test]
async fn the_authentication_panel_names_the_method_and_never_shows_a_secret() {
    let root = container();
    let _handle = mount_to(root.clone(), || {
        let methods = vec![
            AuthMethodDef {
                key: "basic".into(),
                label: "user and password".into(),
                kind: AuthKind::Basic,
                fields: vec![field("user", "user", false)],
                settings: Default::default(),
            },
            AuthMethodDef {
                key: "api_key".into(),
                label: "API key".into(),
                kind: AuthKind::Token,
                fields: vec![
                    field("account", "account id", false),
                    field("key", "API key", true),
                    field("legacy", "legacy secret", true),
                    field("spare", "spare secret", true),
                ],
                settings: Default::default(),
            },
        ];
        let authentication = InstanceAuthentication {
            method: "api_key".into(),
            fields: BTreeMap::from([
                (
                    "account".to_string(),
                    AuthFieldValue::Plain {
                        value: "ACME-1".into(),
                    },
                ),
                ("key".to_string(), AuthFieldValue::Secret { is_set: true }),
                // A secret field that came back as plain text is still hidden.
                (
                    "legacy".to_string(),
                    AuthFieldValue::Plain {
                        value: "leaked-value".into(),
                    },
                ),
                (
                    "spare".to_string(),
                    AuthFieldValue::Secret { is_set: false },
                ),
            ]),
        };
        view! { <AuthenticationPanel authentication methods /> }
    });
    settle().await;

    let text = text_of(&root);
    assert!(
        text.contains("authentication method API key token"),
        "{text}"
    );
    assert!(text.contains("account id ACME-1"), "{text}");
    assert!(text.contains("API key stored"), "{text}");
    assert!(text.contains("legacy secret stored"), "{text}");
    assert!(text.contains("spare secret not set"), "{text}");
    assert!(!text.contains("user and password"), "{text}");
    assert!(!root.inner_html().contains("leaked-value"));
}

#[wasm_bindgen_test]
async fn the_certificates_panel_shows_none_or_the_subject_and_expiry() {
    let none = container();
    let _a = mount_to(none.clone(), || {
        view! { <CertificatesPanel certificate=CertificateState::None now=0 /> }
    });
    let stored = container();
    let _b = mount_to(stored.clone(), || {
        let certificate = CertificateState::Stored {
            subject: "CN=acme-uk.example".into(),
            // 12 Mar 2026, 09:05 UTC
            not_after: 1_773_306_330,
        };
        // Seen ten days before expiry.
        view! { <CertificatesPanel certificate now=1_773_306_330 - 10 * 86_400 /> }
    });
    settle().await;

    assert!(text_of(&none).contains("no certificate"));
    let text = text_of(&stored);
    assert!(text.contains("subject CN=acme-uk.example"), "{text}");
    assert!(text.contains("expires 12 Mar 2026, 09:05 UTC"), "{text}");
    assert!(text.contains("expires in 10 days"), "{text}");
}

// ------------------------------------------------- sign-in and user menu

/// Mounts a view the way the app does: inside the router, with the API
/// client and the session in context.
fn mount_in_app<V: IntoView + 'static>(view: fn() -> V) -> (HtmlElement, impl Drop) {
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! { <Router>{view()}</Router> }
    });
    (root, handle)
}

#[wasm_bindgen_test]
async fn the_sign_in_form_is_labelled_and_keeps_the_email_when_refused() {
    let (root, _handle) = mount_in_app(|| view! { <LoginPage /> });
    settle().await;

    let email = input_labelled(&root, "email");
    let password = input_labelled(&root, "password");
    assert_eq!(email.type_(), "email");
    assert_eq!(password.type_(), "password");
    let alert = by_role(&root, "alert");
    assert_eq!(alert.len(), 1);
    assert_eq!(text_of(&alert[0]), "");

    type_into(&email, "ada@example.com").await;
    type_into(&password, "not-the-password").await;
    // The test page has no conduit API behind it, so the attempt fails; the
    // failure must be said in the alert, with the email still there.
    named(all(&root, "button"), "sign in")
        .unchecked_ref::<HtmlElement>()
        .click();
    for _ in 0..50 {
        settle().await;
        if !text_of(&alert[0]).is_empty() {
            break;
        }
    }
    let said = text_of(&alert[0]);
    assert!(said.ends_with('.'), "a sentence: {said:?}");
    assert!(said.starts_with("The server"), "{said:?}");
    assert_eq!(email.value(), "ada@example.com");
}

fn ada() -> Me {
    Me {
        user: UserSummary {
            id: 1,
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
        },
        company: CompanySummary {
            id: 1,
            name: "Northwind".into(),
        },
    }
}

#[wasm_bindgen_test]
async fn the_user_menu_opens_on_click_and_closes_on_escape() {
    let (root, _handle) = mount_in_app(|| view! { <UserMenu me=ada() /> });
    settle().await;

    let toggle = named(all(&root, "button"), "Ada Lovelace");
    let panel = root.query_selector("#user-menu").unwrap().unwrap();
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("false"));
    assert_eq!(attr(&toggle, "aria-controls").as_deref(), Some("user-menu"));
    assert!(panel.has_attribute("hidden"));

    toggle.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("true"));
    assert!(!panel.has_attribute("hidden"));
    assert!(text_of(&panel).contains("ada@example.com"));
    let sign_out = named(all(&panel, "button"), "sign out");

    press(&sign_out, "Escape").await;
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("false"));
    assert!(panel.has_attribute("hidden"));
    assert_eq!(
        focused().and_then(|f| attr(&f, "aria-controls")).as_deref(),
        Some("user-menu")
    );
}
