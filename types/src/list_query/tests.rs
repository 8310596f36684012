//! Tests of reading and writing the list's query parameters.

use super::*;

fn parse(pairs: &[(&str, &str)]) -> Result<ListQuery, ListQueryError> {
    ListQuery::parse(pairs)
}

#[test]
fn nothing_given_is_the_first_page_of_everything() {
    assert_eq!(parse(&[]).unwrap(), ListQuery::default());
    assert_eq!(parse(&[("search", ""), ("status", ""), ("connector", "")]).unwrap(), ListQuery::default());
    assert_eq!(ListQuery::default().limit, 25);
}

#[test]
fn every_parameter_is_read() {
    let query = parse(&[
        ("search", " uk "),
        ("status", "failed_authentication"),
        ("connector", "shopify"),
        ("limit", "50"),
        ("after", "12:shopify - uk"),
        ("utm", "ignored"),
    ])
    .unwrap();
    assert_eq!(query.filter.search, " uk ");
    assert_eq!(query.filter.status, Some(InstanceStatus::FailedAuthentication));
    assert_eq!(query.filter.connector.as_deref(), Some("shopify"));
    assert_eq!(query.limit, 50);
    assert_eq!(query.after.as_deref(), Some("12:shopify - uk"));
}

#[test]
fn the_page_size_is_from_1_to_100() {
    assert_eq!(parse(&[("limit", "1")]).unwrap().limit, 1);
    assert_eq!(parse(&[("limit", "100")]).unwrap().limit, 100);
    for bad in ["0", "101", "-1", "ten", "", "1.5", "99999999999"] {
        assert_eq!(parse(&[("limit", bad)]), Err(ListQueryError::PageSize), "{bad}");
    }
    assert_eq!(
        ListQueryError::PageSize.to_string(),
        "The page size (limit) must be a whole number from 1 to 100."
    );
}

#[test]
fn an_unknown_status_is_refused_without_repeating_it() {
    let error = parse(&[("status", "<b>broken</b>")]).unwrap_err();
    assert_eq!(error, ListQueryError::Status);
    assert!(!error.to_string().contains("broken"));
    assert!(error.to_string().contains("operational"));
}

#[test]
fn a_long_search_a_repeated_parameter_and_a_lone_cursor_are_refused() {
    let long = "a".repeat(201);
    assert_eq!(parse(&[("search", long.as_str())]), Err(ListQueryError::SearchTooLong));
    assert!(parse(&[("search", "é".repeat(200).as_str())]).is_ok());
    assert_eq!(parse(&[("limit", "5"), ("limit", "6")]), Err(ListQueryError::Repeated("limit")));
    assert_eq!(parse(&[("after", "3:x")]), Err(ListQueryError::CursorWithoutConnector));
}

#[test]
fn writing_a_query_reads_back_the_same_and_leaves_out_defaults() {
    assert!(ListQuery::default().to_pairs().is_empty());
    let query = ListQuery {
        filter: ListFilter { search: "eu".into(), status: Some(InstanceStatus::NotTested), connector: Some("netsuite".into()) },
        limit: 10,
        after: Some("4:eu".into()),
    };
    assert_eq!(ListQuery::parse(&query.to_pairs()).unwrap(), query);
}

#[test]
fn only_a_search_with_words_a_status_or_a_connector_narrows() {
    assert!(!ListFilter { search: "  ".into(), ..ListFilter::default() }.narrows());
    assert!(ListFilter { status: Some(InstanceStatus::Operational), ..ListFilter::default() }.narrows());
}
