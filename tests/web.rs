//! Component tests: each mounts one view into a fresh element in headless
//! Chromium, drives it the way a user would (clicks, keys, typing) and checks
//! the DOM by role, accessible name and visible text. No network: components
//! take data as props and report through callbacks or the settings view's
//! actions, whose page requests the tests record.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use conduit_types::draft::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseStart, CertificateDraft, CertificateUpload,
    DraftField, HistoryEntry, HistoryEvent, IdentityUpload, TestDraftRequest, TestDraftResponse, TestReceipt,
};
use conduit_types::{
    AuthFieldValue, AuthKind, AuthMethodDef, CertificateState, CompanySummary, ConflictInfo, ConnectorChoice, ConnectorList, ConnectorSummary,
    ErrorBody, ErrorCode, FieldDef, FieldError, InstanceAuthentication, InstanceSettings, InstanceStatus,
    InstanceSummary, ListFilter, Me, Permission, Placement, ProcessFlowRef, StoredCertificates, TestOutcome, TestResult, TestStep,
    TestStepKind, UserSummary,
};
use conduit_types::fixtures::{certificate_info, shopify_uk};
use conduit_web::api::{ApiClient, ApiError};
use conduit_web::components::{
    breadcrumb::{Breadcrumb, Crumb},
    connector_directory::ConnectorDirectory,
    history_card::{HistoryCard, HistoryList},
    instance_editor::InstanceEditor,
    instance_row::InstanceRow,
    tabs::{TabSpec, Tabs},
    user_menu::UserMenu,
};
use conduit_web::editor::Editor;
use conduit_web::list_requests::ListRequests;
use conduit_web::instance_actions::{InstanceActions, SettingsRequests};
use conduit_web::pages::login::LoginPage;
use conduit_web::session::{Session, SessionState};
use conduit_web::tabs::SettingsTab;
use leptos::{mount::mount_to, prelude::*};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlDialogElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

// ------------------------------------------------------------------ helpers

fn instance(id: i64, name: &str, status: InstanceStatus, flows: u32) -> InstanceSummary {
    InstanceSummary {
        id,
        name: name.into(),
        auth_kind: AuthKind::Token,
        auth_method_label: "admin API access token".into(),
        status,
        last_tested_at: None,
        last_checked_at: None,
        process_flow_count: flows,
        certificate_not_after: None,
    }
}

fn field(key: &str, label: &str, secret: bool) -> FieldDef {
    conduit_types::fixtures::field(key, label, secret, Placement::Auth)
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

#[wasm_bindgen_test]
async fn an_instance_row_says_when_the_checker_last_checked_it_and_its_certificate_status_in_words() {
    let mut row = instance(3, "Partner API", InstanceStatus::CertificateExpiring, 0);
    row.last_checked_at = Some((js_sys::Date::now() / 1000.0) as i64 - 120);
    let (root, _handle) = mount_row(row);
    settle().await;
    let text = text_of(&root);
    assert!(text.contains("last checked 2 minutes ago"), "{text}");
    let badge = all(&root, ".badge");
    assert_eq!(text_of(&badge[0]), "certificate expiring");
    assert_eq!(attr(&badge[0], "class").as_deref(), Some("badge badge--warning"));
}

// ------------------------------------------------------- connectors search

fn installed() -> Vec<ConnectorSummary> {
    let card = |id, slug: &str, name: &str, instances: Vec<InstanceSummary>| ConnectorSummary {
        id,
        slug: slug.into(),
        name: name.into(),
        instance_count: instances.len() as u32,
        matching_count: instances.len() as u32,
        instances,
        next: None,
    };
    vec![
        card(
            1,
            "shopify",
            "Shopify",
            vec![
                instance(10, "Shopify - UK", InstanceStatus::Operational, 2),
                instance(11, "Shopify - EU", InstanceStatus::Unreachable, 0),
            ],
        ),
        card(
            2,
            "netsuite",
            "NetSuite",
            vec![
                instance(20, "NetSuite production", InstanceStatus::Operational, 1),
                instance(21, "UK sandbox", InstanceStatus::NotTested, 0),
            ],
        ),
    ]
}

/// What the server answers for `search` over [`installed`], by the shared
/// search rule: matching instances, or a matching connector whole.
fn searched(search: &str) -> String {
    use conduit_types::search::{filters_instances, name_matches, needle};
    let needle = needle(search);
    let connectors = installed()
        .into_iter()
        .filter_map(|mut c| {
            if filters_instances(&c.name, &needle) {
                c.instances.retain(|i| name_matches(&i.name, &needle));
            }
            c.matching_count = c.instances.len() as u32;
            (needle.is_empty() || !c.instances.is_empty()).then_some(c)
        })
        .collect();
    let choices = installed().iter().map(|c| ConnectorChoice { slug: c.slug.clone(), name: c.name.clone() }).collect();
    json(&ConnectorList { connectors, choices })
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
async fn the_search_box_asks_the_server_as_you_type_and_shows_what_it_kept() {
    let _fetch = held_fetch::hold_fetch();
    let root = container();
    let _handle = mount_to(root.clone(), || {
        let requests = ListRequests::new(ApiClient::new(), RwSignal::new(ListFilter::default()));
        view! { <ConnectorDirectory requests /> }
    });
    assert_eq!(held_fetch::request(0).await, "/api/connectors");
    held_fetch::answer(0, &searched(""));
    wait_for("the cards", || !shown(&root).is_empty()).await;

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
    assert_eq!(held_fetch::request(1).await, "/api/connectors?search=uk");
    held_fetch::answer(1, &searched("uk"));
    wait_for("the search's answer", || shown(&root).len() == 2 && shown(&root)[0].1.len() == 1).await;
    assert_eq!(
        shown(&root),
        owned(&[
            ("Shopify", &["Shopify - UK"]),
            ("NetSuite", &["UK sandbox"])
        ])
    );

    // A connector name matches: all of its instances show.
    type_into(&search, "NETSUITE").await;
    assert_eq!(held_fetch::request(2).await, "/api/connectors?search=NETSUITE");
    held_fetch::answer(2, &searched("NETSUITE"));
    wait_for("the connector match", || shown(&root).len() == 1).await;
    assert_eq!(
        shown(&root),
        owned(&[("NetSuite", &["NetSuite production", "UK sandbox"])])
    );
    let status = by_role(&root, "status");
    assert_eq!(text_of(&status[0]), "2 instances in 1 connector match");

    // Nothing matches: say so, and offer to clear the search.
    type_into(&search, "salesforce").await;
    held_fetch::request(3).await;
    held_fetch::answer(3, &searched("salesforce"));
    wait_for("nothing matching", || shown(&root).is_empty()).await;
    assert!(text_of(&root).contains("nothing matches “salesforce”"));
    named(all(&root, "button"), "clear search")
        .unchecked_ref::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(search.value(), "");
    assert_eq!(held_fetch::request(4).await, "/api/connectors");
    held_fetch::answer(4, &searched(""));
    wait_for("everything again", || shown(&root).len() == 2).await;
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

// ------------------------------------------------------- instance settings

// The sample instance (`shopify_uk`) and its certificates come from
// `conduit_types::fixtures`, shared with the editor's unit tests.

/// What the editor asked its caller to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Asked {
    tests: usize,
    cancels: usize,
    saves: usize,
    reloads: usize,
    authorises: usize,
}

struct Mounted {
    root: HtmlElement,
    editor: RwSignal<Editor>,
    selected: RwSignal<SettingsTab>,
    asked: RwSignal<Asked>,
    /// The last test the editor started: its ticket and request.
    started: RwSignal<Option<(u32, TestDraftRequest)>>,
}

/// The page's requests replaced by recording what was asked. A test click
/// starts the test in the editor, as the page does before it sends the
/// request.
#[derive(Clone, Copy)]
struct Recorder {
    editor: RwSignal<Editor>,
    asked: RwSignal<Asked>,
    started: RwSignal<Option<(u32, TestDraftRequest)>>,
}

impl SettingsRequests for Recorder {
    fn test(&self) {
        self.asked.update(|a| a.tests += 1);
        let now = js_sys::Date::now() as u64;
        if let Some(test) = self.editor.try_update(|e| e.begin_test(now)).flatten() {
            self.started.set(Some(test));
        }
    }

    fn cancel_test(&self) {
        self.asked.update(|a| a.cancels += 1);
        self.editor.update(Editor::cancel_test);
    }

    fn authorise(&self) {
        self.asked.update(|a| a.authorises += 1);
        self.editor.update(|e| _ = e.begin_authorise(AuthoriseMode::Popup));
    }

    fn cancel_authorise(&self) {
        self.asked.update(|a| a.cancels += 1);
        self.editor.update(|e| _ = e.abandon_authorising());
    }

    fn save(&self) {
        self.asked.update(|a| a.saves += 1);
    }

    fn reload(&self) {
        self.asked.update(|a| a.reloads += 1);
    }
}

/// Mounts the editor the way the page does, with the tab selection owned
/// here (the page keeps it in the URL) and the page's requests replaced by
/// a [`Recorder`]. Reading a certificate goes to the API, as in the app.
fn mount_editor(settings: InstanceSettings) -> (Mounted, impl Drop) {
    let root = container();
    let editor = RwSignal::new(Editor::new(settings));
    let selected = RwSignal::new(SettingsTab::Details);
    let asked = RwSignal::new(Asked::default());
    let started = RwSignal::new(None);
    let handle = mount_to(root.clone(), move || {
        let on_select = Callback::new(move |tab| selected.set(tab));
        let recorder = Recorder { editor, asked, started };
        let actions = InstanceActions::new(ApiClient::new(), editor, on_select, recorder);
        view! { <InstanceEditor actions selected now=1_773_306_330 - 10 * 86_400 /> }
    });
    let mounted = Mounted {
        root,
        editor,
        selected,
        asked,
        started,
    };
    (mounted, handle)
}

fn tab(root: &Element, name: &str) -> Element {
    named(by_role(root, "tab"), name)
}

fn control_labelled(root: &Element, label: &str) -> Element {
    let label = named(all(root, "label"), label);
    let id = attr(&label, "for").expect("the label names its control");
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .expect("the labelled control exists")
}

fn select_labelled(root: &Element, label: &str) -> HtmlSelectElement {
    control_labelled(root, label).unchecked_into()
}

async fn choose(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    fire(select, "change").await;
}

async fn check(radio: &HtmlInputElement) {
    radio.click();
    settle().await;
}

fn save_button(root: &Element) -> Element {
    button(root, "save instance settings")
}

/// Whether a button is unavailable: `aria-disabled`, so it keeps focus and
/// its description (never `disabled`, which would drop both).
fn locked(button: &Element) -> bool {
    assert!(!button.has_attribute("disabled"), "stays focusable");
    attr(button, "aria-disabled").as_deref() == Some("true")
}

fn passed() -> Result<TestDraftResponse, ApiError> {
    Ok(TestDraftResponse {
        result: TestResult {
            outcome: TestOutcome::Ok,
            message: "Shopify accepted the token.".into(),
            steps: vec![
                TestStep {
                    kind: TestStepKind::Resolve,
                    ok: true,
                    duration_ms: 4,
                    http_status: None,
                },
                TestStep {
                    kind: TestStepKind::TestRequest,
                    ok: true,
                    duration_ms: 1_250,
                    http_status: Some(200),
                },
            ],
            http_status: Some(200),
            duration_ms: 1_300,
            fix: None,
        },
        receipt: Some(TestReceipt {
            token: "signed".into(),
            expires_at: 2_000_000_000,
        }),
        status: None,
    })
}

/// Feeds the answer to the test the editor started.
async fn answer_test(m: &Mounted, answer: Result<TestDraftResponse, ApiError>) {
    let (ticket, request) = m.started.get_untracked().expect("a test was started");
    m.editor
        .update(|e| e.finish_test(ticket, request.draft, answer));
    settle().await;
}

#[wasm_bindgen_test]
async fn the_details_tab_edits_settings_and_connector_variables_by_label() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;

    assert_eq!(input_labelled(root, "name").value(), "Shopify - UK");
    let zone = select_labelled(root, "time zone");
    assert_eq!(zone.value(), "Europe/London");
    assert!(zone.length() as usize >= conduit_types::time_zones::TIME_ZONES.len());
    let format = select_labelled(root, "date format");
    assert_eq!(format.value(), "Y-m-d H:i:s");
    assert!(text_of(&format).contains("2026-11-24 14:05:09"));
    let rate = input_labelled(root, "rate limit");
    assert_eq!(
        (rate.type_().as_str(), rate.value().as_str()),
        ("text", "60"),
        "a text box keeps letters to show them with an error"
    );
    assert_eq!(attr(&rate, "inputmode").as_deref(), Some("numeric"));
    let unit = select_labelled(root, "rate limit unit");
    assert_eq!(unit.value(), "minute");
    assert!(text_of(&unit).contains("requests per hour"));
    let pool = select_labelled(root, "connection pool");
    assert_eq!(pool.value(), "");
    assert_eq!(text_of(&pool), "none bulk orders");
    let store = input_labelled(root, "store name");
    assert_eq!(store.value(), "acme-uk");
    // The variable's help describes its box.
    assert!(described(root, &store).contains("the part before .myshopify.com"));
    // A secret variable is a password box, and its value is no attribute.
    assert_eq!(
        input_labelled(root, "webhook signing key").type_(),
        "password"
    );
    assert!(!root.inner_html().contains("never-show-me"));

    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    choose(&zone, "Europe/Paris").await;
    choose(&pool, "bulk orders").await;
    type_into(&rate, "").await;
    let details = m.editor.with_untracked(|e| e.draft().details.clone());
    assert_eq!(details.name, "Shopify - GB");
    assert_eq!(details.time_zone, "Europe/Paris");
    assert_eq!(details.connection_pool.as_deref(), Some("bulk orders"));
    assert_eq!(details.rate_limit, None);
}

#[wasm_bindgen_test]
async fn switching_tabs_keeps_edits_and_marks_the_tabs_that_hold_them() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    tab(root, "instance details");

    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    let details = tab(root, "instance details (unsaved changes)");
    let dot = details.query_selector(".tab__dot").unwrap().unwrap();
    assert!(!dot.has_attribute("hidden"), "the dot shows");
    let other_dot = tab(root, "authentication")
        .query_selector(".tab__dot")
        .unwrap()
        .unwrap();
    assert!(
        other_dot.has_attribute("hidden"),
        "a tab without edits has no dot"
    );

    click(&tab(root, "authentication"));
    settle().await;
    assert_eq!(m.selected.get_untracked(), SettingsTab::Authentication);
    check(&input_labelled(root, "replace")).await;
    type_into(&input_labelled(root, "new token"), "shpat_new").await;
    tab(root, "authentication (unsaved changes)");

    click(&tab(root, "instance details (unsaved changes)"));
    settle().await;
    assert_eq!(input_labelled(root, "name").value(), "Shopify - GB");
    click(&tab(root, "authentication (unsaved changes)"));
    settle().await;
    // The secret's choice and new value survived the trip too.
    assert!(input_labelled(root, "replace").checked());
    assert_eq!(input_labelled(root, "new token").value(), "shpat_new");
    tab(root, "certificates");

    // Undoing the edit takes the mark away again.
    check(&input_labelled(root, "keep the stored value")).await;
    tab(root, "authentication");
}

#[wasm_bindgen_test]
async fn a_stored_secret_offers_keep_replace_and_clear() {
    let (m, _handle) = mount_editor(shopify_uk());
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    let root = &m.root;

    let method = select_labelled(root, "authentication method");
    assert_eq!(method.value(), "access_token");
    assert_eq!(text_of(&method), "admin API access token custom app");

    let groups = all(root, "fieldset");
    assert_eq!(groups.len(), 1);
    let legend = groups[0].query_selector("legend").unwrap().unwrap();
    assert_eq!(text_of(&legend), "token");
    assert!(text_of(&groups[0]).contains("a value is stored"));
    let keep = input_labelled(root, "keep the stored value");
    let replace = input_labelled(root, "replace");
    let clear = input_labelled(root, "clear");
    assert_eq!(keep.type_(), "radio");
    assert!(keep.checked() && !replace.checked() && !clear.checked());
    assert!(all(root, "label").iter().all(|l| text_of(l) != "new token"));

    check(&replace).await;
    let new_token = input_labelled(root, "new token");
    assert_eq!(new_token.type_(), "password");
    // Choosing replace puts focus in the new box (once it is drawn).
    let id = new_token.id();
    wait_for("focus in the new box", || {
        focused().and_then(|f| attr(&f, "id")).as_deref() == Some(id.as_str())
    })
    .await;
    // The show switch reveals what was typed, and hides it again.
    type_into(&new_token, "shpat_new").await;
    let show = button(root, "show new token");
    click(&show);
    settle().await;
    assert_eq!(new_token.type_(), "text");
    assert_eq!(attr(&show, "aria-pressed").as_deref(), Some("true"));
    click(&show);
    settle().await;
    assert_eq!(new_token.type_(), "password");

    check(&clear).await;
    assert!(all(root, "label").iter().all(|l| text_of(l) != "new token"));
    assert_eq!(
        m.editor
            .with_untracked(|e| e.draft().authentication.fields["token"].clone()),
        DraftField::Clear
    );
    // Clearing a required secret is a problem at the field.
    let group_control = root
        .query_selector("[role=\"radiogroup\"]")
        .unwrap()
        .unwrap();
    assert_eq!(
        attr(&group_control, "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(described(root, &group_control).contains("Enter the token: this method needs it."));

    // Another method's secret is not stored: just a password box.
    choose(&method, "oauth_app").await;
    let secret = input_labelled(root, "client secret");
    assert_eq!(secret.type_(), "password");
    assert!(text_of(root).contains("no value stored"));
    assert!(all(root, "label").iter().all(|l| text_of(l) != "replace"));
}

#[wasm_bindgen_test]
async fn replacing_a_credential_locks_save_until_a_test_of_it_passes() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    let save = save_button(root);
    assert!(locked(&save));
    assert_eq!(
        described(root, &save),
        "Nothing to save yet: no setting has changed."
    );

    m.selected.set(SettingsTab::Authentication);
    settle().await;
    check(&input_labelled(root, "replace")).await;
    type_into(&input_labelled(root, "new token"), "shpat_new").await;
    assert!(locked(&save));
    assert_eq!(
        described(root, &save),
        "These changes affect the connection: test instance connection, and save once the test passes."
    );
    // A click on the disabled button saves nothing.
    click(&save);
    settle().await;
    assert_eq!(m.asked.get_untracked().saves, 0);

    click(&button(root, "test instance connection"));
    settle().await;
    assert_eq!(m.asked.get_untracked().tests, 1);
    let status = by_role(root, "status")
        .into_iter()
        .find(|s| text_of(s).starts_with("testing the connection…"))
        .expect("progress is in a live region");
    assert!(described(root, &save).starts_with("Testing the connection"));

    answer_test(&m, passed()).await;
    let result = text_of(&status);
    assert!(
        result.starts_with("connection test passed Shopify accepted the token."),
        "{result}"
    );
    click(&button(root, "show details"));
    settle().await;
    let result = text_of(&status);
    assert!(result.contains("resolve: ok, 4 ms"), "{result}");
    assert!(
        result.contains("test request: ok, 1.2 s, HTTP 200"),
        "{result}"
    );
    assert_eq!(
        text_of(&status.query_selector("h3").unwrap().unwrap()),
        "connection test passed"
    );
    assert!(!locked(&save));
    assert_eq!(described(root, &save), "");
    click(&save);
    settle().await;
    assert_eq!(
        m.asked.get_untracked().saves,
        1,
        "no flows: saved without asking"
    );

    // A further change to the connection locks save again.
    type_into(&input_labelled(root, "new token"), "shpat_newer").await;
    assert!(locked(&save));
    assert!(described(root, &save).starts_with("These changes affect the connection"));
}

#[wasm_bindgen_test]
async fn a_running_test_shows_seconds_and_can_be_cancelled() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    let cancel = button(root, "cancel test");
    assert!(cancel.has_attribute("hidden"));
    click(&button(root, "test instance connection"));
    settle().await;
    assert!(!cancel.has_attribute("hidden"));
    let timer = by_role(root, "timer");
    assert_eq!(timer.len(), 1);
    assert_eq!(text_of(&timer[0]), "0 s");

    click(&cancel);
    settle().await;
    assert_eq!(m.asked.get_untracked().cancels, 1);
    assert!(cancel.has_attribute("hidden"));
    assert!(by_role(root, "status")
        .iter()
        .any(|s| text_of(s) == "connection test cancelled"));
    assert_eq!(
        focused().map(|f| text_of(&f)).as_deref(),
        Some("test instance connection")
    );
}

#[wasm_bindgen_test]
async fn an_embed_session_changes_only_what_it_may_and_is_told_so() {
    let (m, _handle) = mount_editor(shopify_uk());
    m.editor.update(|e| e.limit_to([Permission::View, Permission::EditDetails].into()));
    settle().await;
    let root = &m.root;
    assert!(!input_labelled(root, "name").disabled(), "details may be changed");

    m.selected.set(SettingsTab::Authentication);
    settle().await;
    let locked = all(root, "fieldset.panel-locked");
    assert_eq!(locked.len(), 1, "the authentication panel is locked");
    assert!(described(root, &locked[0]).contains("not change them"));
    let fields = all(&locked[0], "input, select, button");
    assert!(!fields.is_empty());
    assert!(fields.iter().all(|f| f.matches(":disabled").unwrap()), "every control in it is off");
    assert!(all(root, "button").iter().all(|b| name_of(b) != "test instance connection"), "no test without the test permission");
    assert!(text_of(root).contains("This portal does not let you check the connection here."));

    // With the permissions a dashboard user has, nothing is locked.
    m.editor.update(|e| e.limit_to([Permission::View, Permission::EditCredentials, Permission::Test].into()));
    settle().await;
    assert!(all(root, "fieldset.panel-locked").is_empty());
    button(root, "test instance connection");
}

#[wasm_bindgen_test]
async fn field_errors_sit_under_their_field_and_describe_it() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    let name = input_labelled(root, "name");
    assert_eq!(attr(&name, "aria-invalid"), None);

    type_into(&name, "  ").await;
    assert_eq!(attr(&name, "aria-invalid").as_deref(), Some("true"));
    let said = described(root, &name);
    assert!(said.contains("Enter a name for this instance."), "{said}");
    assert!(said.contains("what your users will see"), "{said}");
    let save = save_button(root);
    assert_eq!(
        described(root, &save),
        "Fix the fields marked in red before saving."
    );
    tab(root, "instance details (unsaved changes, fields to fix)");

    let rate = input_labelled(root, "rate limit");
    type_into(&rate, "0").await;
    assert_eq!(attr(&rate, "aria-invalid").as_deref(), Some("true"));
    assert!(described(root, &rate).contains("from 1 to 1000000"));

    // A problem on a tab that is not shown marks that tab and is listed by the buttons.
    type_into(&name, "Shopify - GB").await;
    type_into(&rate, "60").await;
    type_into(&input_labelled(root, "store name"), "acme-eu").await;
    tab(root, "authentication (fields to fix)");
    let list = root
        .query_selector(".problems")
        .unwrap()
        .expect("the problems are listed");
    let items: Vec<Element> = all(&list, "button");
    let names: Vec<String> = items.iter().map(name_of).collect();
    assert_eq!(
        names,
        ["authentication: Enter the token again: these settings send credentials to a different address, so the stored value cannot be used."]
    );
    click(&items[0]);
    settle().await;
    assert_eq!(m.selected.get_untracked(), SettingsTab::Authentication);
    wait_for("the list to lead to the field", || {
        focused().and_then(|f| attr(&f, "role")).as_deref() == Some("radiogroup")
    })
    .await;

    // The server's complaint stays at its field until that field is edited.
    m.selected.set(SettingsTab::Details);
    settle().await;
    m.editor.update(|e| {
        e.set_variable("store", "acme-uk".into());
        e.begin_save();
    });
    m.editor.update(|e| {
        e.finish_save(Err(ApiError::Server {
            status: 422,
            body: ErrorBody {
                code: ErrorCode::Validation,
                message: "Some fields need attention.".into(),
                fields: vec![FieldError {
                    field: "name".into(),
                    message: "Another instance already has this name.".into(),
                }],
                conflict: None,
            },
        }))
    });
    settle().await;
    let name = input_labelled(root, "name");
    assert!(described(root, &name).contains("Another instance already has this name."));
    type_into(&name, "Shopify - Great Britain").await;
    assert_eq!(attr(&name, "aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn an_authorisation_code_method_gets_a_note_instead_of_a_test() {
    let mut settings = shopify_uk();
    settings.authentication = InstanceAuthentication {
        method: "oauth_app".into(),
        fields: BTreeMap::from([
            (
                "client_id".to_string(),
                AuthFieldValue::Plain {
                    value: "app-1".into(),
                },
            ),
            (
                "client_secret".to_string(),
                AuthFieldValue::Secret { is_set: true },
            ),
        ]),
        authorised_at: None,
    };
    let (m, _handle) = mount_editor(settings);
    settle().await;
    let root = &m.root;
    assert!(all(root, "button")
        .iter()
        .all(|b| name_of(b) != "test instance connection"));
    assert!(text_of(root).contains(
        "This instance uses OAuth 2 (authorisation code): its credentials are checked when you authorise with the provider, so there is no connection test."
    ));

    // Details can still be saved; a connection change waits for authorising.
    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    assert!(!locked(&save_button(root)));
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    type_into(&input_labelled(root, "client id"), "app-2").await;
    assert_eq!(
        described(root, &save_button(root)),
        "These changes affect the connection: authorise with the provider, and save once it has authorised."
    );

    // `authorise` starts authorising this draft; save waits for the provider.
    let authorise = button(root, "authorise");
    assert_eq!(attr(&authorise, "aria-describedby").as_deref(), Some("authorise-note"));
    click(&authorise);
    settle().await;
    assert_eq!(m.asked.get_untracked().authorises, 1);
    assert!(text_of(root).contains("waiting for you to authorise in the provider's window…"));
    assert_eq!(
        described(root, &save_button(root)),
        "Authorising with the provider: save once it has finished."
    );
    m.editor.update(|e| {
        _ = e.authorise_started(Ok(AuthoriseStart { authorisation: "a1".into(), url: "about:blank".into() }))
    });
    let status = m.editor.with_untracked(|e| AuthorisationStatus {
        instance_id: e.saved().id,
        base_version: e.saved().version,
        state: AuthorisationState::Authorised { expires_at: 0, granted_scope: None },
        draft: e.draft().clone(),
    });
    m.editor.update(|e| _ = e.authorisation_update("a1", Ok(status)));
    settle().await;
    assert!(text_of(root).contains("authorised with the provider: save instance settings to keep it"));
    assert!(!locked(&save_button(root)));

    // Authorising again, then cancelling, says that nothing was saved.
    click(&button(root, "authorise"));
    settle().await;
    click(&button(root, "cancel authorising"));
    settle().await;
    assert!(text_of(root).contains("Authorising was cancelled before the provider answered: nothing was saved."));
    assert!(locked(&save_button(root)));
}

#[wasm_bindgen_test]
async fn the_certificate_can_be_removed_and_kept_again() {
    let (m, _handle) = mount_editor(shopify_uk());
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    let root = &m.root;
    let text = text_of(root);
    assert!(text.contains("subject CN=acme-uk.example"), "{text}");
    assert!(text.contains("issuer CN=Acme Issuing CA"), "{text}");
    assert!(text.contains("subject alternative names acme-uk.example, 10.0.0.7"), "{text}");
    assert!(text.contains("valid to 12 Mar 2026, 09:05 UTC"), "{text}");
    assert!(text.contains("SHA-256 fingerprint 3F:A1:09"), "{text}");
    assert!(text.contains("key type ECDSA P-256"), "{text}");
    // Ten days left: the strong warning.
    let badge = named(all(root, ".badge"), "certificate expires in 10 days");
    assert!(attr(&badge, "class").unwrap().contains("badge--bad"));

    click(&button(root, "remove certificate"));
    settle().await;
    assert!(text_of(root).contains("The certificate is removed when you save instance settings."));
    tab(root, "certificates (unsaved changes)");
    click(&button(root, "keep certificate"));
    settle().await;
    tab(root, "certificates");
    assert_eq!(
        m.editor.with_untracked(|e| e.draft().certificate.clone()),
        CertificateDraft::Keep
    );

    let mut none = shopify_uk();
    none.certificate = CertificateState::None;
    let (m, _other) = mount_editor(none);
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    assert!(text_of(&m.root).contains("no certificate"));
    assert!(all(&m.root, "button")
        .iter()
        .all(|b| name_of(b) != "remove certificate"));
}

#[wasm_bindgen_test]
async fn saving_an_instance_in_use_asks_first_and_keep_editing_closes_the_question() {
    let mut settings = shopify_uk();
    settings.process_flows = vec![
        ProcessFlowRef {
            id: 1,
            name: "orders to NetSuite".into(),
            enabled: true,
        },
        ProcessFlowRef {
            id: 2,
            name: "nightly stock".into(),
            enabled: false,
        },
    ];
    let (m, _handle) = mount_editor(settings);
    settle().await;
    let root = &m.root;
    let dialog: HtmlDialogElement = root
        .query_selector("dialog[aria-labelledby=\"save-dialog-title\"]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!dialog.open());

    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    let save = save_button(root);
    click(&save);
    settle().await;
    assert!(dialog.open(), "the question is open");
    assert_eq!(m.asked.get_untracked().saves, 0);
    let title_id = attr(&dialog, "aria-labelledby").unwrap();
    assert_eq!(
        text_of(
            &root
                .query_selector(&format!("#{title_id}"))
                .unwrap()
                .unwrap()
        ),
        "save instance settings?"
    );
    let text = text_of(&dialog);
    assert!(text.contains("takes effect in them at once"), "{text}");
    let flows: Vec<String> = all(&dialog, "li").iter().map(text_of).collect();
    assert_eq!(
        flows,
        ["orders to NetSuite enabled", "nightly stock disabled"]
    );

    click(&button(&dialog, "keep editing"));
    settle().await;
    assert!(!dialog.open());
    assert_eq!(m.asked.get_untracked().saves, 0);
    assert_eq!(
        focused().map(|f| text_of(&f)).as_deref(),
        Some("save instance settings")
    );
    assert_eq!(input_labelled(root, "name").value(), "Shopify - GB");

    click(&save);
    settle().await;
    click(&button(&dialog, "save now"));
    settle().await;
    assert!(!dialog.open());
    assert_eq!(m.asked.get_untracked().saves, 1);
}

#[wasm_bindgen_test]
async fn a_conflict_names_who_saved_and_offers_to_reload() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    m.editor.update(|e| {
        e.begin_save();
        e.finish_save(Err(ApiError::Server {
            status: 409,
            body: ErrorBody {
                code: ErrorCode::Conflict,
                message: "Someone else saved this instance.".into(),
                fields: vec![],
                conflict: Some(ConflictInfo {
                    saved_by: "Grace Hopper".into(),
                    saved_at: 1_773_324_120,
                    version: 4,
                    by_you: false,
                    changed: vec!["time zone".into()],
                }),
            },
        }));
    });
    settle().await;
    let alert = by_role(root, "alert")
        .into_iter()
        .find(|a| text_of(a).contains("Grace Hopper"))
        .expect("the conflict is an alert");
    let hhmm = conduit_web::text::clock_time(1_773_324_120);
    assert!(text_of(&alert).contains(&format!(
        "Grace Hopper saved this instance at {hhmm}, after you started editing."
    )));
    // The edits stay until the user chooses to reload.
    assert_eq!(input_labelled(root, "name").value(), "Shopify - GB");
    click(&button(&alert, "reload saved settings"));
    settle().await;
    assert_eq!(m.asked.get_untracked().reloads, 1);

    // The page loads the server's version into the editor; the fields follow.
    let mut theirs = shopify_uk();
    theirs.version = 4;
    theirs.details.name = "Shopify - United Kingdom".into();
    m.editor.update(|e| e.reset(theirs));
    settle().await;
    assert_eq!(
        input_labelled(root, "name").value(),
        "Shopify - United Kingdom"
    );
    assert!(by_role(root, "alert")
        .iter()
        .all(|a| !text_of(a).contains("Grace Hopper")));
    tab(root, "instance details");
}

#[wasm_bindgen_test]
async fn a_successful_save_is_announced() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    m.editor.update(|e| {
        let request = e.begin_save().unwrap();
        let mut saved = shopify_uk();
        saved.version = 4;
        saved.details = request.draft.details;
        e.finish_save(Ok(saved));
    });
    settle().await;
    assert!(by_role(root, "status")
        .iter()
        .any(|s| text_of(s) == "instance settings saved"));
    tab(root, "instance details");
    assert_eq!(
        described(root, &save_button(root)),
        "Nothing to save yet: no setting has changed."
    );
}

#[wasm_bindgen_test]
async fn the_history_lists_saves_and_tests_newest_first() {
    let root = container();
    let _handle = mount_to(root.clone(), || {
        let entries = vec![
            HistoryEntry {
                id: 2,
                at: 1_773_306_330 - 120,
                user: "Ada Lovelace".into(),
                event: HistoryEvent::Saved {
                    version: 4,
                    changed: vec!["name".into(), "token".into()],
                },
            },
            HistoryEntry {
                id: 1,
                at: 1_773_306_330 - 3 * 3600,
                user: "Ada Lovelace".into(),
                event: HistoryEvent::Tested {
                    outcome: TestOutcome::AuthRejected,
                    message: "Shopify did not accept the token.".into(),
                },
            },
        ];
        view! { <HistoryCard><HistoryList entries now=1_773_306_330 /></HistoryCard> }
    });
    settle().await;
    let section = root.query_selector("section").unwrap().unwrap();
    assert_eq!(
        text_of(&section.query_selector("h2").unwrap().unwrap()),
        "history"
    );
    let lines: Vec<String> = all(&root, "li").iter().map(text_of).collect();
    assert_eq!(
        lines,
        [
            "Ada Lovelace saved version 4: name, token 2 minutes ago",
            "Ada Lovelace tested: connection test failed — Shopify did not accept the token. 3 hours ago",
        ]
    );
}

/// A view that counts how often the router builds it, and how often it
/// is cleaned up.
#[component]
fn CountsMounts(mounts: RwSignal<u32>, cleanups: RwSignal<u32>) -> impl IntoView {
    mounts.update(|n| *n += 1);
    on_cleanup(move || cleanups.update(|n| *n += 1));
    let params = leptos_router::hooks::use_params_map();
    move || params.with(|p| p.get("tab").unwrap_or_default())
}

/// The settings page keeps its draft in the route's view: this checks the
/// router keeps that view when only the tab in the URL changes.
#[wasm_bindgen_test]
async fn the_router_keeps_the_settings_view_when_only_the_tab_changes() {
    let history = window().history().unwrap();
    let before = window().location().pathname().unwrap();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some("/instances/7/settings/details"))
        .unwrap();
    let mounts = RwSignal::new(0u32);
    let cleanups = RwSignal::new(0u32);
    let navigate = RwSignal::new(None::<std::sync::Arc<dyn Fn(&str) + Send + Sync>>);
    let root = container();
    let handle = mount_to(root.clone(), move || {
        view! {
            <Router>
                <Routes fallback=|| "nothing">
                    <Route
                        path=path!("/instances/:id/settings/:tab")
                        view=move || {
                            let go = leptos_router::hooks::use_navigate();
                            navigate.set(Some(std::sync::Arc::new(move |to: &str| go(to, Default::default()))));
                            view! { <CountsMounts mounts cleanups /> }
                        }
                    />
                </Routes>
            </Router>
        }
    });
    settle().await;
    assert_eq!(text_of(&root), "details");
    for tab in ["authentication", "certificates", "details"] {
        let go = navigate.get_untracked().unwrap();
        go(&format!("/instances/7/settings/{tab}"));
        settle().await;
        assert_eq!(text_of(&root), tab);
    }
    assert_eq!(mounts.get_untracked(), 1, "built once for all three tabs");
    // The back button between tabs keeps it too.
    for tab in ["certificates", "authentication"] {
        history.back().unwrap();
        for _ in 0..20 {
            settle().await;
            if text_of(&root) == tab {
                break;
            }
        }
        assert_eq!(text_of(&root), tab);
    }
    assert_eq!(
        (mounts.get_untracked(), cleanups.get_untracked()),
        (1, 0),
        "built once and never cleaned up"
    );
    drop(handle);
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .unwrap();
}

// ------------------------------------------------- sign-in and user menu

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

#[wasm_bindgen_test]
async fn signing_out_from_the_user_menu_ends_the_session_and_goes_to_sign_in() {
    let _fake = fake_api(&[("DELETE /api/session", 200, "{}".to_string())]);
    let history = window().history().unwrap();
    let before = path();
    let root = container();
    let session = RwSignal::new(None::<Session>);
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        let signed_in = Session::new(api);
        signed_in.signed_in(ada());
        session.set(Some(signed_in));
        provide_context(signed_in);
        view! { <Router><UserMenu me=ada() /></Router> }
    });
    settle().await;

    click(&named(all(&root, "button"), "Ada Lovelace"));
    settle().await;
    click(&named(all(&root, "button"), "sign out"));
    let state = move || session.get_untracked().map(|s| s.state());
    wait_for("the session to end", || state() == Some(SessionState::SignedOut)).await;
    assert_eq!(fake_asked(), vec!["DELETE /api/session".to_string()]);
    assert_eq!(path(), "/login");
    drop(handle);
    history.replace_state_with_url(&JsValue::NULL, "", Some(&before)).unwrap();
}

// ------------------------------------------------------------ leave guard

/// Replaces `window.confirm` with one that records its question and
/// answers `answer`; returns the questions asked.
fn stub_confirm(answer: RwSignal<bool>) -> RwSignal<Vec<String>> {
    let asked = RwSignal::new(Vec::<String>::new());
    let confirm = wasm_bindgen::closure::Closure::<dyn Fn(String) -> bool>::new(move |question| {
        asked.update(|a| a.push(question));
        answer.get_untracked()
    })
    .into_js_value();
    js_sys::Reflect::set(&window(), &JsValue::from_str("confirm"), &confirm).unwrap();
    asked
}

fn path() -> String {
    window().location().pathname().unwrap()
}

/// Stands for the settings page: guarded while `dirty`, showing its tab.
#[component]
fn GuardedSettings(dirty: RwSignal<bool>) -> impl IntoView {
    conduit_web::leave_guard::guard_unsaved_changes(7, dirty.into());
    let params = leptos_router::hooks::use_params_map();
    view! { <p>"settings " {move || params.with(|p| p.get("tab").unwrap_or_default())}</p> }
}

/// A settings page with unsaved edits asks before an in-app link or the
/// back button leaves it, never between its tabs, and stays put (URL and
/// page) when the user says no.
#[wasm_bindgen_test]
async fn leaving_unsaved_edits_asks_first_and_no_keeps_the_page() {
    let history = window().history().unwrap();
    let before = path();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some("/connectors"))
        .unwrap();
    let answer = RwSignal::new(false);
    let asked = stub_confirm(answer);
    // As the app does before its router starts (once per page).
    conduit_web::leave_guard::install();
    let dirty = RwSignal::new(true);
    let go = RwSignal::new(None::<std::sync::Arc<dyn Fn(&str) + Send + Sync>>);
    let root = container();
    let handle = mount_to(root.clone(), move || {
        view! {
            <Router>
                <a href="/connectors">"connectors & instances"</a>
                <Routes fallback=|| "nothing">
                    <Route path=path!("/connectors") view=move || {
                        let navigate = leptos_router::hooks::use_navigate();
                        go.set(Some(std::sync::Arc::new(move |to: &str| navigate(to, Default::default()))));
                        view! { <p>"the list"</p> }
                    } />
                    <Route
                        path=path!("/instances/:id/settings/:tab")
                        view=move || {
                            let navigate = leptos_router::hooks::use_navigate();
                            go.set(Some(std::sync::Arc::new(move |to: &str| navigate(to, Default::default()))));
                            view! { <GuardedSettings dirty /> }
                        }
                    />
                </Routes>
            </Router>
        }
    });
    settle().await;
    assert_eq!(text_of(&root), "connectors & instances the list");
    let navigate = |to: &str| go.get_untracked().unwrap()(to);

    navigate("/instances/7/settings/details");
    wait_for("opening the settings", || {
        text_of(&root).ends_with("settings details")
    })
    .await;
    navigate("/instances/7/settings/authentication");
    wait_for("switching tabs", || {
        text_of(&root).ends_with("settings authentication")
    })
    .await;
    assert!(asked.get_untracked().is_empty(), "tabs never ask");

    // Back to the previous tab: still this instance's settings, no question.
    history.back().unwrap();
    wait_for("going back a tab", || {
        path() == "/instances/7/settings/details"
    })
    .await;
    settle().await;
    assert!(asked.get_untracked().is_empty(), "tabs never ask");
    assert!(text_of(&root).ends_with("settings details"));

    // Back out of the settings: asked, and "no" keeps page and address.
    history.back().unwrap();
    wait_for("the question", || !asked.get_untracked().is_empty()).await;
    assert_eq!(
        asked.get_untracked(),
        ["You have unsaved changes to this instance. Leave without saving them?"]
    );
    wait_for("the address put back", || {
        path() == "/instances/7/settings/details"
    })
    .await;
    settle().await;
    assert!(
        text_of(&root).ends_with("settings details"),
        "{}",
        text_of(&root)
    );

    // An in-app link: asked, "no" stays.
    let link = named(all(&root, "a"), "connectors & instances");
    click(&link);
    settle().await;
    assert_eq!(asked.get_untracked().len(), 2);
    assert_eq!(path(), "/instances/7/settings/details");
    assert!(text_of(&root).ends_with("settings details"));

    // Nothing unsaved: no question, and the link is followed.
    dirty.set(false);
    click(&link);
    wait_for("leaving", || path() == "/connectors").await;
    assert_eq!(asked.get_untracked().len(), 2);

    drop(handle);
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_certificate_is_read_before_the_draft_takes_it_and_then_needs_a_test() {
    let mut settings = shopify_uk();
    settings.certificate = CertificateState::None;
    let (m, _handle) = mount_editor(settings);
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    let root = &m.root;
    assert!(text_of(root).contains("upload a certificate"));
    assert_eq!(attr(&control_labelled(root, "choose files"), "type").as_deref(), Some("file"));

    // Nothing entered: each missing part is said at its field.
    click(&button(root, "read certificate"));
    settle().await;
    let certificate = control_labelled(root, "certificate (PEM)");
    assert_eq!(attr(&certificate, "aria-invalid").as_deref(), Some("true"));
    assert!(described(root, &certificate).starts_with("Paste the certificate"));
    let key = control_labelled(root, "private key (PEM)");
    assert!(described(root, &key).contains("Paste the private key"));

    // PKCS#12 asks for its file instead.
    check(&control_labelled(root, "PKCS#12 bundle (.p12, .pfx)").unchecked_into()).await;
    assert!(text_of(root).contains("no file chosen"));
    assert!(all(root, "textarea").iter().all(|t| name_of(t) != "certificate (PEM)"));
    check(&control_labelled(root, "PEM certificate and private key").unchecked_into()).await;

    // What the server read shows, the draft holds the upload, and save
    // waits for a test.
    let upload = CertificateUpload {
        identity: Some(IdentityUpload::Pem {
            certificate_pem: "-----BEGIN CERTIFICATE-----".into(),
            private_key_pem: "-----BEGIN PRIVATE KEY-----".into(),
            passphrase: String::new(),
        }),
        ca_certificate_pem: None,
    };
    let read = StoredCertificates {
        client: Some(certificate_info("CN=partner-client", 1_773_306_330 + 20 * 86_400)),
        ca: Some(certificate_info("CN=Partner Root", 1_773_306_330 + 400 * 86_400)),
    };
    m.editor.update(|e| {
        e.edit_certificate_form("certificate", |f| {
            f.certificate_pem = "-----BEGIN CERTIFICATE-----".into();
            f.private_key_pem = "-----BEGIN PRIVATE KEY-----".into();
        });
        _ = e.begin_read_certificate();
        e.finish_read_certificate(upload, Ok(read));
    });
    settle().await;
    let text = text_of(root);
    assert!(text.contains("new certificate"), "{text}");
    assert!(text.contains("subject CN=partner-client"), "{text}");
    assert!(text.contains("trusted CA certificate"), "{text}");
    assert!(text.contains("subject CN=Partner Root"), "{text}");
    let badge = named(all(root, ".badge"), "certificate expires in 30 days");
    assert!(attr(&badge, "class").unwrap().contains("badge--warning"));
    tab(root, "certificates (unsaved changes)");
    assert_eq!(
        described(root, &save_button(root)),
        "These changes affect the connection: test instance connection, and save once the test passes."
    );

    click(&button(root, "discard new certificate"));
    settle().await;
    assert!(text_of(root).contains("no certificate"));
    assert_eq!(m.editor.with_untracked(|e| e.draft().certificate.clone()), CertificateDraft::Keep);
}

#[wasm_bindgen_test]
async fn an_instance_row_warns_of_a_certificate_that_expires_soon() {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let mut soon = instance(3, "Partner API", InstanceStatus::Operational, 0);
    soon.certificate_not_after = Some(now + 20 * 86_400 + 3600);
    let mut expired = instance(4, "Old partner", InstanceStatus::Operational, 0);
    expired.certificate_not_after = Some(now - 60);
    let mut later = instance(5, "Fine partner", InstanceStatus::Operational, 0);
    later.certificate_not_after = Some(now + 90 * 86_400);
    let (soon, _a) = mount_row(soon);
    let (expired, _b) = mount_row(expired);
    let (later, _c) = mount_row(later);
    settle().await;
    let badge = named(all(&soon, ".badge"), "certificate expires in 20 days");
    assert!(attr(&badge, "class").unwrap().contains("badge--warning"));
    let badge = named(all(&expired, ".badge"), "certificate expired");
    assert!(attr(&badge, "class").unwrap().contains("badge--bad"));
    assert_eq!(all(&later, ".badge").len(), 1, "only the status");
}

// ------------------------------------------------ failed steps, fix a field

fn refused_token() -> Result<TestDraftResponse, ApiError> {
    Ok(TestDraftResponse {
        result: TestResult {
            outcome: TestOutcome::AuthRejected,
            message: "acme-uk.myshopify.com refused the credentials (HTTP 401). Check them and test again.".into(),
            steps: vec![
                TestStep {
                    kind: TestStepKind::Resolve,
                    ok: true,
                    duration_ms: 4,
                    http_status: None,
                },
                TestStep {
                    kind: TestStepKind::TestRequest,
                    ok: false,
                    duration_ms: 80,
                    http_status: Some(401),
                },
            ],
            http_status: Some(401),
            duration_ms: 90,
            fix: Some(conduit_types::FieldToFix {
                field: "authentication.token".into(),
                label: "token".into(),
                message: "Check the token: it was not accepted.".into(),
            }),
        },
        receipt: None,
        status: None,
    })
}

#[wasm_bindgen_test]
async fn a_failed_step_shows_as_failed_and_the_fix_button_leads_to_the_field() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    assert_eq!(m.selected.get_untracked(), SettingsTab::Details);
    click(&button(root, "test instance connection"));
    settle().await;
    answer_test(&m, refused_token()).await;

    let steps = all(root, ".test-steps li");
    let words: Vec<String> = steps.iter().map(text_of).collect();
    assert_eq!(words, ["resolve: ok, 4 ms", "test request: failed, 80 ms, HTTP 401"]);
    // The tick or cross comes from the class; only the failed step has a cross.
    assert!(!steps[0].class_list().contains("test-step--failed"));
    assert!(steps[1].class_list().contains("test-step--failed"));
    let status = by_role(root, "status")
        .into_iter()
        .find(|s| text_of(s).starts_with("connection test failed"))
        .expect("the result is in a live region");
    assert!(
        text_of(&status).contains("Check the token: it was not accepted."),
        "{}",
        text_of(&status)
    );

    click(&button(root, "fix token"));
    settle().await;
    assert_eq!(m.selected.get_untracked(), SettingsTab::Authentication);
    // The stored token's keep / replace / clear group stands for the field.
    wait_for("focus on the token field", || {
        focused()
            .and_then(|f| attr(&f, "id"))
            .is_some_and(|id| id.starts_with("field-authentication-token"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_passed_test_offers_no_fix_and_ticks_every_step() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    click(&button(&m.root, "test instance connection"));
    settle().await;
    let mut answer = passed();
    if let Ok(response) = &mut answer {
        response.result.fix = Some(conduit_types::FieldToFix {
            field: "authentication.token".into(),
            label: "token".into(),
            message: "never shown".into(),
        });
    }
    answer_test(&m, answer).await;
    let steps = all(&m.root, ".test-steps li");
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|s| !s.class_list().contains("test-step--failed")));
    assert!(all(&m.root, "button").iter().all(|b| !name_of(b).starts_with("fix ")));
}

/// The Shopify fixture with an OAuth 2 client credentials method chosen,
/// whose client authentication is a choice field left at its default.
fn with_client_credentials() -> InstanceSettings {
    let mut settings = shopify_uk();
    let mut client_auth = field("client_auth", "client authentication", false);
    client_auth.required = false;
    client_auth.choices = vec![
        conduit_types::FieldChoice { value: "basic_header".into(), label: "basic header".into() },
        conduit_types::FieldChoice { value: "request_body".into(), label: "in the request body".into() },
    ];
    settings.connector.definition.auth_methods.push(AuthMethodDef {
        key: "cc".into(),
        label: "client credentials".into(),
        kind: AuthKind::Oauth2ClientCredentials,
        fields: vec![
            field("client_id", "client id", false),
            field("client_secret", "client secret", true),
            client_auth,
        ],
        settings: Default::default(),
    });
    settings.authentication = InstanceAuthentication {
        method: "cc".into(),
        fields: BTreeMap::from([
            ("client_id".to_string(), AuthFieldValue::Plain { value: "c1".into() }),
            ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
        ]),
        authorised_at: None,
    };
    settings
}

#[wasm_bindgen_test]
async fn a_choice_field_is_a_labelled_drop_down_and_changing_it_needs_a_test() {
    let (m, _handle) = mount_editor(with_client_credentials());
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    let root = &m.root;
    let select = select_labelled(root, "client authentication");
    let options: Vec<(String, String)> = all(&select, "option")
        .iter()
        .map(|o| (attr(o, "value").unwrap_or_default(), text_of(o)))
        .collect();
    assert_eq!(
        options,
        [
            ("basic_header".to_string(), "basic header".to_string()),
            ("request_body".to_string(), "in the request body".to_string())
        ]
    );
    assert_eq!(select.value(), "basic_header", "an empty value shows the first choice");
    let save = save_button(root);
    assert!(locked(&save));

    choose(&select, "request_body").await;
    assert_eq!(
        m.editor.with_untracked(|e| e.draft().authentication.fields.get("client_auth").cloned()),
        Some(DraftField::Plain { value: "request_body".into() })
    );
    assert_eq!(
        described(root, &save),
        "These changes affect the connection: test instance connection, and save once the test passes."
    );
    choose(&select, "basic_header").await;
    assert_eq!(
        described(root, &save),
        "Nothing to save yet: no setting has changed.",
        "the first choice is what the saved empty value meant"
    );
}

// ------------------------------------------------------- a CA alone

/// Replaces `window.fetch` with one that records each request's body and
/// answers `answer` as JSON with status 200; returns the recorded bodies.
/// The real fetch comes back when the returned guard is dropped.
fn stub_fetch(answer: &str) -> (js_sys::Array, impl Drop) {
    let sent = js_sys::Array::new();
    let real = js_sys::Reflect::get(&window(), &JsValue::from_str("fetch")).unwrap();
    let fake = js_sys::Function::new_with_args(
        "sent, answer",
        "return async (request) => { sent.push(await request.clone().text()); \
         return new Response(answer, {status: 200, headers: {'content-type': 'application/json'}}); };",
    )
    .call2(&JsValue::NULL, &sent, &JsValue::from_str(answer))
    .unwrap();
    js_sys::Reflect::set(&window(), &JsValue::from_str("fetch"), &fake).unwrap();
    struct Restore(JsValue);
    impl Drop for Restore {
        fn drop(&mut self) {
            js_sys::Reflect::set(&window(), &JsValue::from_str("fetch"), &self.0).unwrap();
        }
    }
    (sent, Restore(real))
}

#[wasm_bindgen_test]
async fn a_ca_certificate_alone_is_read_without_a_client_certificate_and_shown() {
    let mut settings = shopify_uk();
    settings.certificate = CertificateState::None;
    let (m, _handle) = mount_editor(settings);
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    let root = &m.root;

    let ca = certificate_info("CN=Partner Root CA", 1_773_306_330 + 400 * 86_400);
    let answer = serde_json::to_string(&StoredCertificates { client: None, ca: Some(ca.clone()) }).unwrap();
    let (sent, _restore) = stub_fetch(&answer);

    // Only the CA field is filled: the certificate and key are not asked for.
    let field = control_labelled(root, "CA certificate (PEM)");
    assert!(described(root, &field).contains("Add it alone when the server uses a private CA"));
    js_sys::Reflect::set(&field, &JsValue::from_str("value"), &JsValue::from_str("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")).unwrap();
    fire(&field, "input").await;
    click(&button(root, "read certificate"));
    wait_for("the CA's summary", || text_of(root).contains("trusted CA: CN=Partner Root CA")).await;

    let text = text_of(root);
    assert!(text.contains("trusted CA: CN=Partner Root CA, expires 16 Apr 2027"), "{text}");
    assert!(text.contains("new certificate"), "{text}");
    assert!(!text.contains("Paste the certificate") && !text.contains("Paste the private key"), "{text}");
    // What was sent holds the CA and no client certificate.
    assert_eq!(sent.length(), 1);
    let body: serde_json::Value = serde_json::from_str(&sent.get(0).as_string().unwrap()).unwrap();
    assert_eq!(body.get("identity"), None, "{body}");
    assert!(body["ca_certificate_pem"].as_str().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    let CertificateDraft::Upload(upload) = m.editor.with_untracked(|e| e.draft().certificate.clone()) else {
        panic!("the draft did not take the CA");
    };
    assert!(upload.identity.is_none());
    // Like any connection change, saving waits for a test.
    tab(root, "certificates (unsaved changes)");
    assert_eq!(
        described(root, &save_button(root)),
        "These changes affect the connection: test instance connection, and save once the test passes."
    );
}

#[wasm_bindgen_test]
async fn a_stored_ca_alone_is_summed_up_and_removed_on_its_own() {
    let mut settings = shopify_uk();
    settings.certificate = CertificateState::Stored(StoredCertificates {
        client: None,
        ca: Some(certificate_info("CN=Partner Root CA", 1_773_306_330 + 400 * 86_400)),
    });
    let (m, _handle) = mount_editor(settings);
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    let root = &m.root;
    let text = text_of(root);
    assert!(text.contains("stored trusted CA"), "{text}");
    assert!(text.contains("trusted CA: CN=Partner Root CA, expires 16 Apr 2027"), "{text}");
    assert!(all(root, "button").iter().all(|b| name_of(b) != "remove certificate"));

    click(&button(root, "remove trusted CA"));
    settle().await;
    assert!(text_of(root).contains("The trusted CA is removed when you save instance settings."));
    assert_eq!(m.editor.with_untracked(|e| e.draft().certificate.clone()), CertificateDraft::RemoveCa);
    tab(root, "certificates (unsaved changes)");
    click(&button(root, "keep trusted CA"));
    settle().await;
    assert_eq!(m.editor.with_untracked(|e| e.draft().certificate.clone()), CertificateDraft::Keep);

    // Beside a client certificate, removing the CA keeps the client certificate.
    let mut both = shopify_uk();
    both.certificate = CertificateState::Stored(StoredCertificates {
        client: Some(certificate_info("CN=acme-uk.example", 1_773_306_330)),
        ca: Some(certificate_info("CN=Partner Root CA", 1_773_306_330 + 400 * 86_400)),
    });
    let (m, _other) = mount_editor(both);
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    click(&button(&m.root, "remove trusted CA"));
    settle().await;
    assert_eq!(m.editor.with_untracked(|e| e.draft().certificate.clone()), CertificateDraft::RemoveCa);
    assert!(text_of(&m.root).contains("stored certificate"));
    assert!(button(&m.root, "remove certificate").is_connected());
}

// ------------------------------------------- discard, conflicts, callback

#[wasm_bindgen_test]
async fn discard_changes_asks_first_and_then_puts_the_saved_settings_back() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    let discard = button(root, "discard changes");
    assert_eq!(attr(&discard, "aria-disabled").as_deref(), Some("true"), "nothing to discard yet");

    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    check(&input_labelled(root, "replace")).await;
    type_into(&input_labelled(root, "new token"), "shpat_new").await;
    tab(root, "instance details (unsaved changes)");
    tab(root, "authentication (unsaved changes)");
    assert_eq!(attr(&discard, "aria-disabled"), None);

    // Asking first: `keep editing` keeps every edit.
    let dialog = dialog_titled(root, "discard-dialog-title");
    assert!(!dialog.open());
    click(&discard);
    settle().await;
    assert!(dialog.open(), "the question is open");
    assert_eq!(text_of(&root.query_selector("#discard-dialog-title").unwrap().unwrap()), "discard changes?");
    click(&button(&dialog, "keep editing"));
    settle().await;
    assert!(!dialog.open());
    assert_eq!(input_labelled(root, "new token").value(), "shpat_new");
    assert_eq!(focused().map(|f| text_of(&f)).as_deref(), Some("discard changes"));

    // `discard`: the saved values come back and the marks go.
    click(&discard);
    settle().await;
    click(&button(&dialog, "discard"));
    settle().await;
    assert!(!dialog.open());
    assert!(input_labelled(root, "keep the stored value").checked());
    tab(root, "instance details");
    tab(root, "authentication");
    assert_eq!(described(root, &save_button(root)), "Nothing to save yet: no setting has changed.");
    m.selected.set(SettingsTab::Details);
    settle().await;
    assert_eq!(input_labelled(root, "name").value(), "Shopify - UK");
    assert_eq!(attr(&discard, "aria-disabled").as_deref(), Some("true"));
    assert_eq!(focused().map(|f| text_of(&f)).as_deref(), Some("discard changes"), "focus stays on the button");
}

fn conflict_answer(by_you: bool, changed: &[&str]) -> ApiError {
    ApiError::Server {
        status: 409,
        body: ErrorBody {
            code: ErrorCode::Conflict,
            message: "This instance changed.".into(),
            fields: vec![],
            conflict: Some(ConflictInfo {
                saved_by: "Ada Lovelace".into(),
                saved_at: 1_773_324_120,
                version: 4,
                by_you,
                changed: changed.iter().map(|c| c.to_string()).collect(),
            }),
        },
    }
}

#[wasm_bindgen_test]
async fn a_conflict_with_other_fields_reapplies_my_edits_on_the_new_version_in_one_click() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    type_into(&input_labelled(root, "name"), "Shopify - GB").await;
    m.editor.update(|e| {
        e.begin_save();
        e.finish_save(Err(conflict_answer(true, &["time zone"])));
    });
    settle().await;
    let alert = by_role(root, "alert")
        .into_iter()
        .find(|a| text_of(a).contains("elsewhere"))
        .expect("the conflict is an alert");
    let hhmm = conduit_web::text::clock_time(1_773_324_120);
    let said = text_of(&alert);
    assert!(
        said.contains(&format!("You saved this elsewhere (in another tab or window) at {hhmm}, after this draft was started.")),
        "{said}"
    );
    assert!(said.contains("Your edits are to other fields: re-apply them on the new version."), "{said}");

    click(&button(&alert, "re-apply my changes"));
    settle().await;
    assert_eq!(m.asked.get_untracked().reloads, 1, "the page loads the new version");
    let mut theirs = shopify_uk();
    theirs.version = 4;
    theirs.details.time_zone = "Europe/Paris".into();
    m.editor.update(|e| e.reloaded(theirs));
    settle().await;

    assert_eq!(input_labelled(root, "name").value(), "Shopify - GB", "my edit");
    assert_eq!(select_labelled(root, "time zone").value(), "Europe/Paris", "their save");
    assert_eq!(m.editor.with_untracked(|e| e.saved().version), 4);
    assert!(by_role(root, "alert").iter().all(|a| !text_of(a).contains("elsewhere")));
    tab(root, "instance details (unsaved changes)");
    assert!(!locked(&save_button(root)), "a rename needs no test");
    click(&save_button(root));
    settle().await;
    assert_eq!(m.asked.get_untracked().saves, 1);
}

#[wasm_bindgen_test]
async fn a_conflict_on_the_same_field_names_it_and_reapplying_a_token_needs_a_test() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    check(&input_labelled(root, "replace")).await;
    type_into(&input_labelled(root, "new token"), "shpat_new").await;
    click(&button(root, "test instance connection"));
    settle().await;
    answer_test(&m, passed()).await;
    m.editor.update(|e| {
        e.begin_save().expect("the tested token can be saved");
        e.finish_save(Err(conflict_answer(false, &["token", "name"])));
    });
    settle().await;
    let alert = by_role(root, "alert")
        .into_iter()
        .find(|a| text_of(a).contains("Ada Lovelace"))
        .expect("the conflict is an alert");
    assert!(text_of(&alert).contains("You both changed token."), "{}", text_of(&alert));
    button(&alert, "reload saved settings");
    click(&button(&alert, "re-apply my changes"));
    settle().await;
    let mut theirs = shopify_uk();
    theirs.version = 4;
    theirs.details.name = "Shopify - United Kingdom".into();
    m.editor.update(|e| e.reloaded(theirs));
    settle().await;
    assert!(input_labelled(root, "replace").checked(), "the replaced secret stays replaced");
    assert_eq!(input_labelled(root, "new token").value(), "shpat_new");
    assert_eq!(
        described(root, &save_button(root)),
        "These changes affect the connection: test instance connection, and save once the test passes."
    );
    m.selected.set(SettingsTab::Details);
    settle().await;
    assert_eq!(input_labelled(root, "name").value(), "Shopify - United Kingdom", "their rename");
}

#[wasm_bindgen_test]
async fn an_authorisation_code_instance_shows_its_callback_address_and_then_the_granted_scopes() {
    let mut settings = shopify_uk();
    settings.oauth_callback_url = Some("https://conduit.example/api/oauth/callback".into());
    settings.authentication = InstanceAuthentication {
        method: "oauth_app".into(),
        fields: BTreeMap::from([
            ("client_id".to_string(), AuthFieldValue::Plain { value: "app-1".into() }),
            ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
        ]),
        authorised_at: None,
    };
    let (m, _handle) = mount_editor(settings);
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    let root = &m.root;
    let address = input_labelled(root, "callback address");
    assert_eq!(address.value(), "https://conduit.example/api/oauth/callback");
    assert!(address.read_only());
    assert!(described(root, &address).contains("Register this address with the provider"));
    click(&button(root, "copy callback address"));
    wait_for("the copy to be answered", || {
        by_role(root, "status").iter().any(|s| {
            let t = text_of(s);
            t == "copied" || t == "selected: press Ctrl+C (⌘C) to copy it"
        })
    })
    .await;

    click(&button(root, "authorise"));
    settle().await;
    m.editor.update(|e| {
        _ = e.authorise_started(Ok(AuthoriseStart { authorisation: "a1".into(), url: "about:blank".into() }))
    });
    let status = m.editor.with_untracked(|e| AuthorisationStatus {
        instance_id: e.saved().id,
        base_version: e.saved().version,
        state: AuthorisationState::Authorised { expires_at: 0, granted_scope: Some("read_orders write_orders".into()) },
        draft: e.draft().clone(),
    });
    m.editor.update(|e| _ = e.authorisation_update("a1", Ok(status)));
    settle().await;
    assert!(text_of(root).contains("the provider granted: read_orders write_orders"), "{}", text_of(root));

    // Another method has no callback address.
    choose(&select_labelled(root, "authentication method"), "access_token").await;
    assert!(root.query_selector("#callback-address").unwrap().unwrap().closest("[hidden]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn the_header_badge_follows_a_test_of_the_saved_connection_and_the_history_follows_a_save() {
    use conduit_types::draft::InstanceHistory;
    let settings = shopify_uk();
    let id = settings.id;
    let mut failed = passed().unwrap();
    failed.result.outcome = TestOutcome::AuthRejected;
    failed.result.message = "Shopify did not accept the token.".into();
    failed.receipt = None;
    failed.status = Some(InstanceStatus::FailedAuthentication);
    let entry = |id, version| HistoryEntry {
        id,
        at: 1_773_306_330,
        user: "Ada Lovelace".into(),
        event: HistoryEvent::Saved { version, changed: vec!["name".into()] },
    };
    let mut renamed = settings.clone();
    renamed.version = 4;
    renamed.details.name = "Shopify - GB".into();
    let base = format!("/api/instances/{id}");
    let _fake = fake_api(&[
        ("GET ".to_string() + &base, 200, json(&settings)),
        (format!("GET {base}/history"), 200, json(&InstanceHistory { entries: vec![entry(1, 3)] })),
        (format!("GET {base}/history"), 200, json(&InstanceHistory { entries: vec![entry(1, 3)] })),
        (format!("GET {base}/history"), 200, json(&InstanceHistory { entries: vec![entry(2, 4), entry(1, 3)] })),
        (format!("POST {base}/test"), 200, json(&failed)),
        (format!("PUT {base}"), 200, json(&renamed)),
    ]
    .iter()
    .map(|(k, s, b)| (k.as_str(), *s, b.clone()))
    .collect::<Vec<_>>());

    let history = window().history().unwrap();
    let before = window().location().pathname().unwrap();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("/instances/{id}/settings/details")))
        .unwrap();
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! {
            <Router>
                <Routes fallback=|| "nothing">
                    <Route
                        path=path!("/instances/:id/settings/:tab")
                        view=conduit_web::pages::instance_settings::InstanceSettingsPage
                    />
                </Routes>
            </Router>
        }
    });
    let header = || root.query_selector(".page-header").unwrap().map(|h| text_of(&h)).unwrap_or_default();
    let history_text = || root.query_selector("[aria-labelledby=\"history-heading\"]").unwrap().map(|h| text_of(&h)).unwrap_or_default();
    wait_for("the settings to load", || header().contains("operational")).await;
    wait_for("the history to load", || history_text().contains("saved version 3")).await;

    click(&button(&root, "test instance connection"));
    wait_for("the badge to follow the test", || header().contains("failed authentication")).await;
    assert!(!header().contains("operational"), "{}", header());

    type_into(&input_labelled(&root, "name"), "Shopify - GB").await;
    click(&save_button(&root));
    wait_for("the history to show the save", || history_text().contains("saved version 4")).await;
    assert!(header().contains("Shopify - GB"), "{}", header());
    let asked = fake_asked();
    assert_eq!(
        asked.iter().filter(|a| a.ends_with("/history")).count(),
        3,
        "loaded, after the test and after the save: {asked:?}"
    );
    drop(handle);
    history.replace_state_with_url(&JsValue::NULL, "", Some(&before)).unwrap();
}

// ------------------------------------ addresses, rate limit, focus, layout

/// The dashboard's own style sheet, added to the page once, for tests that
/// check layout or focus styles.
fn with_styles() {
    if document().get_element_by_id("test-main-css").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("test-main-css");
        style.set_text_content(Some(include_str!("../style/main.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
}

#[wasm_bindgen_test]
async fn an_address_field_says_at_once_that_it_needs_http() {
    let mut settings = shopify_uk();
    let mut base_url = field("base_url", "base URL", false);
    base_url.placement = Placement::Url;
    base_url.kind = conduit_types::FieldKind::Url;
    settings.connector.definition.base_url = "{{base_url}}".into();
    settings.connector.definition.variables.push(base_url);
    settings
        .details
        .variables
        .insert("base_url".into(), "https://api.example.com/v1".into());
    let (m, _handle) = mount_editor(settings);
    settle().await;
    let root = &m.root;
    let input = input_labelled(root, "base URL");

    type_into(&input, "api.example.com/v1").await;
    let control = control_labelled(root, "base URL");
    assert_eq!(attr(&control, "aria-invalid").as_deref(), Some("true"));
    assert!(
        described(root, &control).contains(
            "The base URL must start with http:// or https://, e.g. https://api.example.com."
        ),
        "{}",
        described(root, &control)
    );
    // The sentence sits in the field, right under its box.
    let error = root
        .query_selector(&format!("#{}-error", control.id()))
        .unwrap()
        .expect("the error has the id the box refers to");
    assert_eq!(error.parent_element(), control.parent_element());

    type_into(&input, "https://api.example.com/v2").await;
    assert_eq!(attr(&control, "aria-invalid"), None);
    assert!(!text_of(root).contains("must start with http://"));
}

#[wasm_bindgen_test]
async fn letters_in_the_rate_limit_stay_in_the_box_with_an_error() {
    let (m, _handle) = mount_editor(shopify_uk());
    settle().await;
    let root = &m.root;
    let input = input_labelled(root, "rate limit");
    type_into(&input, "12a").await;
    assert_eq!(input.value(), "12a", "the box keeps what was typed");
    let control = control_labelled(root, "rate limit");
    assert_eq!(attr(&control, "aria-invalid").as_deref(), Some("true"));
    assert!(described(root, &control).contains(
        "Enter the rate limit as a whole number of requests, such as 60, or leave it empty for no limit."
    ));
    assert!(locked(&save_button(root)), "save waits for a number");
    assert_ne!(
        m.editor.with_untracked(|e| e.draft().details.rate_limit),
        None,
        "letters are not 'no rate limit'"
    );

    // Away and back, the box still shows the text.
    m.selected.set(SettingsTab::Authentication);
    settle().await;
    m.selected.set(SettingsTab::Details);
    settle().await;
    assert_eq!(input_labelled(root, "rate limit").value(), "12a");

    type_into(&input_labelled(root, "rate limit"), "120").await;
    assert_eq!(attr(&control_labelled(root, "rate limit"), "aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn opening_a_page_focuses_its_heading_and_the_skip_link_focuses_main() {
    use conduit_web::components::frame::Frame;
    let history = window().history().unwrap();
    let before = window().location().pathname().unwrap();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some("/focus-a"))
        .unwrap();
    let navigate = RwSignal::new(None::<std::sync::Arc<dyn Fn(&str) + Send + Sync>>);
    // Page b's heading appears only once its data "arrives".
    let loaded = RwSignal::new(false);
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! {
            <Router>
                <Frame me=ada()>
                    {
                        let go = leptos_router::hooks::use_navigate();
                        navigate.set(Some(std::sync::Arc::new(move |to: &str| go(to, Default::default()))));
                    }
                    <Routes fallback=|| "nothing">
                        <Route
                            path=path!("/focus-a")
                            view=|| view! { <h1>"page a"</h1> <button>"go on"</button> }
                        />
                        <Route
                            path=path!("/focus-b")
                            view=move || view! {
                                <p>"loading…"</p>
                                {move || loaded.get().then(|| view! { <h1>"page b"</h1> })}
                            }
                        />
                    </Routes>
                </Frame>
            </Router>
        }
    });
    wait_for("page a's heading is focused", || {
        focused().is_some_and(|f| f.tag_name() == "H1" && text_of(&f) == "page a")
    })
    .await;
    let heading = focused().unwrap();
    assert_eq!(attr(&heading, "tabindex").as_deref(), Some("-1"));

    // A link on page a, then page b: focus waits for b's heading.
    named(all(&root, "button"), "go on")
        .unchecked_ref::<HtmlElement>()
        .focus()
        .unwrap();
    let go = navigate.get_untracked().unwrap();
    go("/focus-b");
    settle().await;
    loaded.set(true);
    wait_for("page b's heading is focused", || {
        focused().is_some_and(|f| f.tag_name() == "H1" && text_of(&f) == "page b")
    })
    .await;

    // The skip link moves focus to the page itself.
    let skip = named(all(&root, "a"), "skip to content");
    click(&skip);
    settle().await;
    assert_eq!(focused().map(|f| f.id()).as_deref(), Some("main"));
    assert_eq!(window().location().pathname().unwrap(), "/focus-b", "not a navigation");

    drop(handle);
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .unwrap();
}

fn failed_with_five_steps() -> Result<TestDraftResponse, ApiError> {
    let step = |kind, ok, duration_ms, http_status| TestStep {
        kind,
        ok,
        duration_ms,
        http_status,
    };
    Ok(TestDraftResponse {
        result: TestResult {
            outcome: TestOutcome::AuthRejected,
            message: "Shopify refused the access token: check it, or replace it with a new one.".into(),
            steps: vec![
                step(TestStepKind::Resolve, true, 4, None),
                step(TestStepKind::Connect, true, 31, None),
                step(TestStepKind::TlsHandshake, true, 58, None),
                step(TestStepKind::TokenExchange, true, 212, Some(200)),
                step(TestStepKind::TestRequest, false, 1_250, Some(401)),
            ],
            http_status: Some(401),
            duration_ms: 1_560,
            fix: None,
        },
        receipt: None,
        status: None,
    })
}

#[wasm_bindgen_test]
async fn a_failed_test_folds_its_steps_and_the_bar_stays_compact_on_a_phone() {
    with_styles();
    let (m, _handle) = mount_editor(shopify_uk());
    m.root.style().set_property("width", "360px").unwrap();
    settle().await;
    let root = &m.root;
    click(&button(root, "test instance connection"));
    settle().await;
    answer_test(&m, failed_with_five_steps()).await;

    let toggle = button(root, "show details");
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("false"));
    let details = root
        .query_selector(&format!("#{}", attr(&toggle, "aria-controls").unwrap()))
        .unwrap()
        .expect("the toggle controls the steps");
    assert!(details.query_selector(".test-steps").unwrap().is_some());
    assert!(details.has_attribute("hidden"));
    let status = by_role(root, "status")
        .iter()
        .map(text_of)
        .find(|t| t.starts_with("connection test failed"))
        .expect("the outcome is in the live region");
    assert!(status.contains("Shopify refused the access token"), "{status}");
    assert!(!status.contains("test request"), "steps are folded: {status}");

    // On a 360 px wide phone the bar is compact and does not stick over the form.
    let bar = root.query_selector(".action-bar").unwrap().unwrap();
    let height = bar.unchecked_ref::<HtmlElement>().offset_height();
    assert!(height > 0 && height <= 296, "at most 40% of a 740 px screen: {height} px");
    let position = window()
        .get_computed_style(&bar)
        .unwrap()
        .unwrap()
        .get_property_value("position")
        .unwrap();
    assert_eq!(position, "static");

    click(&toggle);
    settle().await;
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("true"));
    assert_eq!(name_of(&toggle), "hide details");
    assert!(!details.has_attribute("hidden"));
    assert!(text_of(&details).contains("test request: failed"), "{}", text_of(&details));

    // A new test starts folded again.
    click(&button(root, "test instance connection"));
    settle().await;
    answer_test(&m, failed_with_five_steps()).await;
    assert_eq!(attr(&button(root, "show details"), "aria-expanded").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn a_locked_save_keeps_focus_and_its_reason_and_the_file_picker_shows_focus() {
    with_styles();
    let mut settings = shopify_uk();
    settings.certificate = CertificateState::None;
    let (m, _handle) = mount_editor(settings);
    settle().await;
    let root = &m.root;
    let save = save_button(root);
    assert!(locked(&save));
    save.unchecked_ref::<HtmlElement>().focus().unwrap();
    assert_eq!(focused().as_ref(), Some(&save), "a locked save can still be reached");
    assert_eq!(attr(&save, "aria-describedby").as_deref(), Some("save-reason"));
    assert_eq!(described(root, &save), "Nothing to save yet: no setting has changed.");
    click(&save);
    settle().await;
    assert_eq!(m.asked.get_untracked().saves, 0, "a click on a locked save saves nothing");

    m.selected.set(SettingsTab::Certificates);
    settle().await;
    let picker = control_labelled(root, "choose files");
    let label = named(all(root, "label"), "choose files");
    let outline = |element: &Element| {
        window()
            .get_computed_style(element)
            .unwrap()
            .unwrap()
            .get_property_value("outline-style")
            .unwrap()
    };
    assert_eq!(outline(&label), "none");
    picker.unchecked_ref::<HtmlElement>().focus().unwrap();
    settle().await;
    assert_eq!(focused().as_ref(), Some(&picker));
    assert_eq!(outline(&label), "solid", "the visible button shows the focus");
}

#[wasm_bindgen_test]
async fn with_a_certificate_stored_the_upload_form_opens_on_request() {
    with_styles();
    let (m, _handle) = mount_editor(shopify_uk());
    m.selected.set(SettingsTab::Certificates);
    settle().await;
    let root = &m.root;
    let toggle = button(root, "replace certificate");
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("false"));
    let upload = root
        .query_selector(&format!("#{}", attr(&toggle, "aria-controls").unwrap()))
        .unwrap()
        .expect("the button controls the upload form");
    assert!(upload.has_attribute("hidden"));
    assert!(!text_of(root).contains("choose files"));
    // The drop zone, when shown, has a visible outline.
    click(&toggle);
    settle().await;
    assert_eq!(attr(&toggle, "aria-expanded").as_deref(), Some("true"));
    assert!(!upload.has_attribute("hidden"));
    assert!(text_of(&upload).contains("replace the certificate"));
    let zone = upload.query_selector(".drop-zone").unwrap().unwrap();
    let border = window()
        .get_computed_style(&zone)
        .unwrap()
        .unwrap()
        .get_property_value("border-top-style")
        .unwrap();
    assert_eq!(border, "dashed");
    let fieldset = upload.query_selector("fieldset").unwrap().unwrap();
    let fieldset_border = window()
        .get_computed_style(&fieldset)
        .unwrap()
        .unwrap()
        .get_property_value("border-top-style")
        .unwrap();
    assert_eq!(fieldset_border, "none", "no default fieldset frame");
}
