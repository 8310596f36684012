//! Tests of the `manage connectors` list's rules.

use super::*;
use conduit_types::{AuthKind, InstanceSummary};

fn instance(id: i64, name: &str) -> InstanceSummary {
    InstanceSummary {
        id,
        name: name.into(),
        auth_kind: AuthKind::Token,
        auth_method_label: "access token".into(),
        status: InstanceStatus::Operational,
        last_tested_at: None,
        last_checked_at: None,
        process_flow_count: 0,
        certificate_not_after: None,
    }
}

fn card(id: i64, rows: std::ops::Range<i64>, matching: u32, total: u32, next: Option<&str>) -> ConnectorSummary {
    ConnectorSummary {
        id,
        slug: format!("c{id}"),
        name: format!("Connector {id}"),
        instances: rows.map(|n| instance(n, &format!("row {n}"))).collect(),
        instance_count: total,
        matching_count: matching,
        next: next.map(str::to_owned),
    }
}

#[test]
fn the_address_gives_back_the_filter_and_forgives_what_it_cannot_read() {
    let filter = ListFilter {
        search: "uk & eu/ü".into(),
        status: Some(InstanceStatus::FailedAuthentication),
        connector: Some("shopify".into()),
    };
    let query = query_string(&filter.to_pairs());
    assert_eq!(query, "?search=uk%20%26%20eu%2F%C3%BC&status=failed_authentication&connector=shopify");
    assert_eq!(
        filter_from_query(Some(filter.search.clone()), Some("failed_authentication".into()), Some("shopify".into())),
        filter
    );
    assert_eq!(filter_from_query(None, Some("bogus".into()), Some(String::new())), ListFilter::default());
    assert_eq!(query_string(&ListFilter::default().to_pairs()), "");
}

#[test]
fn only_a_status_or_connector_change_makes_a_history_entry() {
    let typed = ListFilter { search: "u".into(), ..ListFilter::default() };
    let more = ListFilter { search: "uk".into(), ..ListFilter::default() };
    assert!(!is_new_entry(&typed, &more));
    let filtered = ListFilter { status: Some(InstanceStatus::Unreachable), ..more.clone() };
    assert!(is_new_entry(&more, &filtered));
}

#[test]
fn only_the_newest_request_may_answer() {
    let mut latest = Latest::default();
    let first = latest.issue();
    assert!(latest.is_current(first));
    let second = latest.issue();
    assert!(!latest.is_current(first));
    assert!(latest.is_current(second));
}

#[test]
fn a_page_joins_its_card_once_and_only_where_it_continues() {
    let mut cards = vec![card(1, 0..2, 5, 5, Some("c1")), card(2, 10..12, 2, 2, None)];
    let page = card(1, 2..4, 5, 5, Some("c2"));
    assert_eq!(append_page(&mut cards, page.clone(), "c1"), Some(2));
    assert_eq!(cards[0].instances.iter().map(|i| i.id).collect::<Vec<_>>(), [0, 1, 2, 3]);
    assert_eq!(cards[0].next.as_deref(), Some("c2"));
    // The same answer twice (a double click): added once.
    assert_eq!(append_page(&mut cards, page, "c1"), None);
    assert_eq!(cards[0].instances.len(), 4);
    // A card that is gone, or has no more.
    assert_eq!(append_page(&mut cards, card(9, 0..1, 1, 1, None), "c1"), None);
    assert_eq!(append_page(&mut cards, card(2, 12..13, 2, 2, None), "c1"), None);
}

#[test]
fn a_reload_keeps_as_many_rows_as_the_largest_card_shows() {
    assert_eq!(rows_to_keep(&[]), 25);
    assert_eq!(rows_to_keep(&[card(1, 0..3, 3, 3, None)]), 25);
    assert_eq!(rows_to_keep(&[card(1, 0..75, 80, 80, Some("x"))]), 75);
    assert_eq!(rows_to_keep(&[card(1, 0..250, 300, 300, Some("x"))]), 100);
}

#[test]
fn counts_say_how_many_are_shown_of_how_many() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(4000), "4,000");
    assert_eq!(thousands(1234567), "1,234,567");
    assert_eq!(shown_count(&card(1, 0..25, 4000, 4000, Some("x"))), "showing 25 of 4,000");
    assert_eq!(shown_count(&card(1, 0..3, 3, 3, None)), "");
    assert_eq!(shown_count(&card(1, 0..3, 120, 4000, Some("x"))), "showing 3 of 120 matching (4,000 in all)");
}

#[test]
fn the_status_line_counts_matches_only_when_something_narrows() {
    let cards = vec![card(1, 0..2, 2, 5, None), card(2, 0..1, 1, 9, None)];
    assert_eq!(summary(&cards, &ListFilter::default()), "");
    let search = ListFilter { search: "uk".into(), ..ListFilter::default() };
    assert_eq!(summary(&cards, &search), "3 instances in 2 connectors match");
    assert_eq!(summary(&cards[1..], &search), "1 instance in 1 connector matches");
    assert_eq!(summary(&[], &search), "nothing matches");
}
