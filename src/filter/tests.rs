//! Tests of the `manage connectors` search.

use super::*;
use conduit_types::{AuthKind, InstanceStatus, InstanceSummary};

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

fn connector(id: i64, name: &str, instances: Vec<InstanceSummary>) -> ConnectorSummary {
    ConnectorSummary {
        id,
        slug: name.to_lowercase(),
        name: name.into(),
        instances,
    }
}

fn installed() -> Vec<ConnectorSummary> {
    vec![
        connector(
            1,
            "Shopify",
            vec![instance(10, "Shopify - UK"), instance(11, "Shopify - EU")],
        ),
        connector(
            2,
            "NetSuite",
            vec![
                instance(20, "NetSuite production"),
                instance(21, "UK sandbox"),
            ],
        ),
        connector(3, "Mailchimp", vec![]),
    ]
}

fn names(found: &[ConnectorSummary]) -> Vec<(String, Vec<String>)> {
    found
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.instances.iter().map(|i| i.name.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn an_empty_or_blank_query_keeps_everything() {
    assert_eq!(filter_connectors(&installed(), ""), installed());
    assert_eq!(filter_connectors(&installed(), "   "), installed());
}

#[test]
fn a_connector_name_match_keeps_all_its_instances() {
    let found = filter_connectors(&installed(), "netsuite");
    assert_eq!(
        names(&found),
        [(
            "NetSuite".to_string(),
            vec!["NetSuite production".to_string(), "UK sandbox".to_string()]
        )]
    );
}

#[test]
fn an_instance_match_keeps_its_connector_with_only_matching_instances() {
    let found = filter_connectors(&installed(), "uk");
    assert_eq!(
        names(&found),
        [
            ("Shopify".to_string(), vec!["Shopify - UK".to_string()]),
            ("NetSuite".to_string(), vec!["UK sandbox".to_string()]),
        ]
    );
}

#[test]
fn matching_ignores_case_and_surrounding_spaces() {
    let found = filter_connectors(&installed(), "  sHoPiFy - eu ");
    assert_eq!(
        names(&found),
        [("Shopify".to_string(), vec!["Shopify - EU".to_string()])]
    );
}

#[test]
fn a_connector_without_instances_shows_when_its_name_matches() {
    let found = filter_connectors(&installed(), "chimp");
    assert_eq!(names(&found), [("Mailchimp".to_string(), vec![])]);
}

#[test]
fn matching_ignores_case_beyond_ascii() {
    let list = vec![connector(4, "Ökofrakt", vec![instance(40, "ÖKO Nord")])];
    assert_eq!(filter_connectors(&list, "öko").len(), 1);
    assert_eq!(filter_connectors(&list, "nord")[0].instances.len(), 1);
}

#[test]
fn nothing_matching_leaves_an_empty_list() {
    assert!(filter_connectors(&installed(), "salesforce").is_empty());
    assert!(filter_connectors(&[], "shop").is_empty());
}
