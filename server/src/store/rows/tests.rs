//! The stored keys of statuses, outcomes and units, and the JSON columns'
//! formats: what is on disk must not change by accident.

use super::*;

#[test]
fn statuses_are_stored_by_these_keys() {
    for (status, key) in [
        (InstanceStatus::NotTested, "not_tested"),
        (InstanceStatus::Operational, "operational"),
        (InstanceStatus::FailedAuthentication, "failed_authentication"),
        (InstanceStatus::Unreachable, "unreachable"),
        (InstanceStatus::NeedsReconnecting, "needs_reconnecting"),
    ] {
        assert_eq!(status_key(status), key);
        assert_eq!(parse_status(key).unwrap(), status);
        assert_eq!(parse_status(status_key(status)).unwrap(), status);
    }
    assert!(parse_status("bogus").is_err());
}

#[test]
fn test_outcomes_are_stored_by_these_keys() {
    for (outcome, key) in [
        (TestOutcome::Ok, "ok"),
        (TestOutcome::Dns, "dns"),
        (TestOutcome::Connect, "connect"),
        (TestOutcome::Tls, "tls"),
        (TestOutcome::Timeout, "timeout"),
        (TestOutcome::AuthRejected, "auth_rejected"),
        (TestOutcome::UnexpectedStatus, "unexpected_status"),
        (TestOutcome::BlockedByPolicy, "blocked_by_policy"),
        (TestOutcome::InvalidSettings, "invalid_settings"),
    ] {
        assert_eq!(outcome_key(outcome), key);
        assert_eq!(parse_outcome(key).unwrap(), outcome);
    }
    assert!(parse_outcome("").is_err());
}

#[test]
fn rate_limit_units_are_stored_by_these_keys() {
    for (unit, key) in [
        (RateLimitUnit::Second, "second"),
        (RateLimitUnit::Minute, "minute"),
        (RateLimitUnit::Hour, "hour"),
        (RateLimitUnit::Day, "day"),
    ] {
        assert_eq!(unit_key(unit), key);
        assert_eq!(parse_unit(key).unwrap(), unit);
    }
    assert!(parse_unit("week").is_err());
}

#[test]
fn maps_and_labels_are_stored_as_plain_json() {
    let map = BTreeMap::from([("store".to_owned(), "northwind-uk".to_owned()), ("a".to_owned(), "b".to_owned())]);
    assert_eq!(encode_map(&map).unwrap(), r#"{"a":"b","store":"northwind-uk"}"#);
    assert_eq!(decode_map(br#"{"a":"b","store":"northwind-uk"}"#).unwrap(), map);
    let labels = vec!["base URL".to_owned(), "client secret".to_owned()];
    assert_eq!(encode_labels(&labels).unwrap(), r#"["base URL","client secret"]"#);
    assert_eq!(decode_labels(r#"["base URL","client secret"]"#).unwrap(), labels);
}

/// A definition as the store writes it today: a change to the wire
/// types that stops it reading must be a deliberate one.
#[test]
fn a_stored_connector_definition_still_reads() {
    let stored = r#"{"base_url":"https://{{store}}.example.com/api","variables":[{"key":"store","label":"store","help":"the shop's name","secret":false,"required":true,"placement":{"in":"url"}}],"auth_methods":[{"key":"api_key","label":"API key","kind":"token","fields":[{"key":"api_key","label":"API key","secret":true,"required":true,"placement":{"in":"header","name":"X-Api-Key","prefix":"Key "}},{"key":"client_auth","label":"client authentication","secret":false,"required":false,"placement":{"in":"auth"},"destination":true,"choices":[{"value":"basic_header","label":"basic header"}],"kind":"url"}],"settings":{"client_auth":"request_body","signature_method":"HMAC-SHA1","authorize_url":"https://example.com/authorize","token_url":"https://example.com/token","scope_separator":","}}],"test_request":{"method":"GET","path":"/me","expected_statuses":[200]}}"#;
    let definition: ConnectorDefinition = serde_json::from_str(stored).unwrap();
    assert_eq!(encode_definition(&definition).unwrap(), stored);
    let method = definition.auth_method("api_key").unwrap();
    assert_eq!(method.fields[0].placement, conduit_types::Placement::Header { name: "X-Api-Key".into(), prefix: Some("Key ".into()) });
    assert!(method.fields[1].destination);
    assert_eq!(method.settings.client_auth, conduit_types::ClientAuthStyle::RequestBody);
    assert_eq!(method.settings.signature_method, conduit_types::SignatureMethod::HmacSha1);
    assert_eq!(definition.test_request.expected_statuses, vec![200]);
}
