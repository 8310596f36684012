//! Component tests of `manage connectors` at scale in headless Chromium:
//! the list asks the server a page at a time (`fetch` held until the test
//! answers), an older answer never replaces a newer one, `load more` adds a
//! card's next page and moves focus to it, the status and connector filters
//! are labelled selects, and the page's address keeps the filter.
#![cfg(target_arch = "wasm32")]

use conduit_types::{
    AuthKind, ConnectorChoice, ConnectorList, ConnectorSummary, InstanceStatus, InstanceSummary, ListFilter,
};
use conduit_web::api::ApiClient;
use conduit_web::components::connector_directory::ConnectorDirectory;
use conduit_web::list_requests::ListRequests;
use conduit_web::pages::connectors::ConnectorsPage;
use leptos::{mount::mount_to, prelude::*};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::held_fetch::{aborted, answer, hold_fetch, request, requested};
use common::*;

fn instance(id: i64, name: &str) -> InstanceSummary {
    InstanceSummary {
        id,
        name: name.into(),
        auth_kind: AuthKind::Token,
        auth_method_label: "admin API access token".into(),
        status: InstanceStatus::Operational,
        last_tested_at: None,
        last_checked_at: None,
        process_flow_count: 0,
        certificate_not_after: None,
    }
}

/// A Shopify card showing instances `ids` (named `Shop <id>`) of `matching`
/// (`total` in all), continuing at `next`.
fn shopify(ids: std::ops::Range<i64>, matching: u32, total: u32, next: Option<&str>) -> ConnectorSummary {
    ConnectorSummary {
        id: 1,
        slug: "shopify".into(),
        name: "Shopify".into(),
        instances: ids.map(|n| instance(n, &format!("Shop {n}"))).collect(),
        instance_count: total,
        matching_count: matching,
        next: next.map(str::to_owned),
    }
}

fn list(connectors: Vec<ConnectorSummary>) -> String {
    let choices = vec![
        ConnectorChoice { slug: "netsuite".into(), name: "NetSuite".into() },
        ConnectorChoice { slug: "shopify".into(), name: "Shopify".into() },
    ];
    json(&ConnectorList { connectors, choices })
}

fn names(root: &Element) -> Vec<String> {
    all(root, ".instance__name").iter().map(text_of).collect()
}

fn mount_directory() -> (Element, ListRequests, impl Drop) {
    let root = container();
    let made = RwSignal::new(None);
    let handle = mount_to(root.clone(), move || {
        let requests = ListRequests::new(ApiClient::new(), RwSignal::new(ListFilter::default()));
        made.set(Some(requests));
        view! { <ConnectorDirectory requests /> }
    });
    let requests = made.get_untracked().unwrap();
    (root.into(), requests, handle)
}

fn select_labelled(root: &Element, label: &str) -> HtmlSelectElement {
    let label = named(all(root, "label"), label);
    let id = attr(&label, "for").unwrap();
    root.query_selector(&format!("#{id}")).unwrap().unwrap().unchecked_into()
}

async fn choose(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    fire(select, "change").await;
}

#[wasm_bindgen_test]
async fn an_older_answer_never_replaces_a_newer_one_and_its_request_is_aborted() {
    let _fetch = hold_fetch();
    let (root, _requests, _handle) = mount_directory();
    request(0).await;
    answer(0, &list(vec![shopify(1..4, 3, 3, None)]));
    wait_for("the first page", || names(&root).len() == 3).await;

    let search = input_labelled(&root, "search connectors and instances");
    type_into(&search, "s").await;
    type_into(&search, "sh").await;
    assert_eq!(request(1).await, "/api/connectors?search=s");
    assert_eq!(request(2).await, "/api/connectors?search=sh");
    assert!(aborted(1), "the request for “s” is aborted once “sh” is asked for");
    assert!(!aborted(2));

    // The newer answer first, then the older one: the newer stays.
    answer(2, &list(vec![shopify(7..8, 1, 3, None)]));
    wait_for("the newer answer", || names(&root) == ["Shop 7"]).await;
    answer(1, &list(vec![shopify(1..3, 2, 3, None)]));
    settle().await;
    settle().await;
    assert_eq!(names(&root), ["Shop 7"]);
    assert_eq!(text_of(&by_role(&root, "status")[0]), "1 instance in 1 connector matches");
}

#[wasm_bindgen_test]
async fn load_more_adds_the_next_page_says_how_many_and_moves_focus_to_it() {
    let _fetch = hold_fetch();
    let (root, requests, _handle) = mount_directory();
    request(0).await;
    answer(0, &list(vec![shopify(1..3, 5, 5, Some("2:shop 2"))]));
    wait_for("the first page", || names(&root).len() == 2).await;
    assert!(text_of(&root).contains("showing 2 of 5"));
    let more = button(&root, "load more");
    assert_eq!(described(&root, &more), "showing 2 of 5");

    more.unchecked_ref::<web_sys::HtmlElement>().focus().unwrap();
    click(&more);
    // A second click while the page is on its way asks nothing more.
    click(&more);
    assert_eq!(request(1).await, "/api/connectors?connector=shopify&after=2%3Ashop+2");
    settle().await;
    assert_eq!(requested().len(), 2);
    answer(1, &list(vec![shopify(3..5, 5, 5, Some("4:shop 4"))]));
    wait_for("the next page", || names(&root).len() == 4).await;
    assert_eq!(names(&root), ["Shop 1", "Shop 2", "Shop 3", "Shop 4"]);
    assert!(text_of(&root).contains("showing 4 of 5"));
    wait_for("focus on the first new row", || focused().and_then(|e| attr(&e, "id")).as_deref() == Some("instance-3")).await;

    // The last page: the button goes, every row is there once.
    click(&button(&root, "load more"));
    assert_eq!(request(2).await, "/api/connectors?connector=shopify&after=4%3Ashop+4");
    answer(2, &list(vec![shopify(5..6, 5, 5, None)]));
    wait_for("the last page", || names(&root).len() == 5).await;
    assert!(all(&root, "button").iter().all(|b| text_of(b) != "load more"));
    wait_for("focus on the last page's row", || focused().and_then(|e| attr(&e, "id")).as_deref() == Some("instance-5")).await;

    // A reload (an instance changed) asks for the same list again.
    requests.reload();
    assert_eq!(request(3).await, "/api/connectors");
}

#[wasm_bindgen_test]
async fn the_status_and_connector_filters_are_labelled_and_ask_the_server() {
    let _fetch = hold_fetch();
    let (root, _requests, _handle) = mount_directory();
    request(0).await;
    answer(0, &list(vec![shopify(1..3, 2, 2, None)]));
    wait_for("the first page", || names(&root).len() == 2).await;

    let status = select_labelled(&root, "status");
    let offered: Vec<String> = all(&status, "option").iter().map(text_of).collect();
    assert_eq!(offered[0], "any status");
    assert!(offered.contains(&"failed authentication".to_string()));
    choose(&status, "failed_authentication").await;
    assert_eq!(request(1).await, "/api/connectors?status=failed_authentication");
    answer(1, &list(vec![]));
    wait_for("nothing matching", || text_of(&root).contains("nothing matches these filters")).await;

    let connector = select_labelled(&root, "connector");
    let offered: Vec<String> = all(&connector, "option").iter().map(text_of).collect();
    assert_eq!(offered, ["all connectors", "NetSuite", "Shopify"]);
    choose(&connector, "shopify").await;
    assert_eq!(request(2).await, "/api/connectors?status=failed_authentication&connector=shopify");
    answer(2, &list(vec![shopify(2..3, 1, 2, None)]));
    wait_for("the filtered card", || names(&root) == ["Shop 2"]).await;
    assert!(text_of(&root).contains("showing 1 of 1 matching (2 in all)"));
    assert_eq!(connector.value(), "shopify");
}

#[wasm_bindgen_test]
async fn the_address_keeps_the_filter_for_reload_and_back() {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some("/connectors?search=uk&status=operational"))
        .unwrap();
    let _fetch = hold_fetch();
    let (root, _handle) = mount_in_app(|| view! { <ConnectorsPage /> });
    // The first request already carries what the address says.
    assert_eq!(request(0).await, "/api/connectors?search=uk&status=operational");
    let search = input_labelled(&root, "search connectors and instances");
    assert_eq!(search.value(), "uk");
    assert_eq!(select_labelled(&root, "status").value(), "operational");
    answer(0, &list(vec![shopify(1..2, 1, 9, None)]));
    wait_for("the answer", || names(&root).len() == 1).await;

    // Typing replaces the address; another status is a new entry.
    type_into(&search, "uk shop").await;
    wait_for("the address", || window().location().search().unwrap() == "?search=uk%20shop&status=operational").await;
    choose(&select_labelled(&root, "status"), "unreachable").await;
    wait_for("the new entry", || window().location().search().unwrap() == "?search=uk%20shop&status=unreachable").await;
    window().history().unwrap().back().unwrap();
    wait_for("back", || window().location().search().unwrap() == "?search=uk%20shop&status=operational").await;
    wait_for("the select follows", || select_labelled(&root, "status").value() == "operational").await;
    let last = requested().last().cloned().unwrap();
    assert_eq!(last, "/api/connectors?search=uk+shop&status=operational");
}
