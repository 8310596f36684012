//! How values are written in the store's text columns, and read back. Each
//! mapping is spelled out here rather than borrowed from the wire types'
//! serde names, so a change to `conduit_types` cannot silently change what
//! is on disk (or stop old rows from reading).

use std::collections::BTreeMap;

use anyhow::Context;
use conduit_types::{ConnectorDefinition, InstanceStatus, RateLimitUnit, TestOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The `instances.status` value of `status`.
pub(super) fn status_key(status: InstanceStatus) -> &'static str {
    match status {
        InstanceStatus::NotTested => "not_tested",
        InstanceStatus::Operational => "operational",
        InstanceStatus::FailedAuthentication => "failed_authentication",
        InstanceStatus::Unreachable => "unreachable",
        InstanceStatus::NeedsReconnecting => "needs_reconnecting",
    }
}

pub(super) fn parse_status(key: &str) -> anyhow::Result<InstanceStatus> {
    Ok(match key {
        "not_tested" => InstanceStatus::NotTested,
        "operational" => InstanceStatus::Operational,
        "failed_authentication" => InstanceStatus::FailedAuthentication,
        "unreachable" => InstanceStatus::Unreachable,
        "needs_reconnecting" => InstanceStatus::NeedsReconnecting,
        other => anyhow::bail!("unknown instance status {other:?}"),
    })
}

/// The `instance_events.outcome` value of a test's `outcome`.
pub(super) fn outcome_key(outcome: TestOutcome) -> &'static str {
    match outcome {
        TestOutcome::Ok => "ok",
        TestOutcome::Dns => "dns",
        TestOutcome::Connect => "connect",
        TestOutcome::Tls => "tls",
        TestOutcome::Timeout => "timeout",
        TestOutcome::AuthRejected => "auth_rejected",
        TestOutcome::UnexpectedStatus => "unexpected_status",
        TestOutcome::BlockedByPolicy => "blocked_by_policy",
        TestOutcome::InvalidSettings => "invalid_settings",
    }
}

pub(super) fn parse_outcome(key: &str) -> anyhow::Result<TestOutcome> {
    Ok(match key {
        "ok" => TestOutcome::Ok,
        "dns" => TestOutcome::Dns,
        "connect" => TestOutcome::Connect,
        "tls" => TestOutcome::Tls,
        "timeout" => TestOutcome::Timeout,
        "auth_rejected" => TestOutcome::AuthRejected,
        "unexpected_status" => TestOutcome::UnexpectedStatus,
        "blocked_by_policy" => TestOutcome::BlockedByPolicy,
        "invalid_settings" => TestOutcome::InvalidSettings,
        other => anyhow::bail!("unknown test outcome {other:?}"),
    })
}

/// The `instances.rate_limit_unit` value of `unit`.
pub(super) fn unit_key(unit: RateLimitUnit) -> &'static str {
    match unit {
        RateLimitUnit::Second => "second",
        RateLimitUnit::Minute => "minute",
        RateLimitUnit::Hour => "hour",
        RateLimitUnit::Day => "day",
    }
}

pub(super) fn parse_unit(key: &str) -> anyhow::Result<RateLimitUnit> {
    Ok(match key {
        "second" => RateLimitUnit::Second,
        "minute" => RateLimitUnit::Minute,
        "hour" => RateLimitUnit::Hour,
        "day" => RateLimitUnit::Day,
        other => anyhow::bail!("unknown rate limit unit {other:?}"),
    })
}

/// A `connectors.definition` value. It is the catalogue's own format (the
/// shipped `connectors/*.json`), written again from those files when the
/// server starts; `tests::a_stored_connector_definition_still_reads` pins it.
pub(super) fn encode_definition(definition: &ConnectorDefinition) -> anyhow::Result<String> {
    Ok(serde_json::to_string(definition)?)
}

pub(super) fn parse_definition(row: &AnyRow) -> anyhow::Result<ConnectorDefinition> {
    let text: String = row.try_get("definition")?;
    serde_json::from_str(&text).context("a stored connector definition is not valid")
}

/// A column holding a JSON object of strings by key (`variables`,
/// `auth_fields`, and the secrets before they are sealed).
pub(super) fn encode_map<K: AsRef<str> + Ord, V: AsRef<str>>(map: &BTreeMap<K, V>) -> anyhow::Result<String> {
    let map: BTreeMap<&str, &str> = map.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    Ok(serde_json::to_string(&map)?)
}

pub(super) fn decode_map(json: &[u8]) -> anyhow::Result<BTreeMap<String, String>> {
    Ok(serde_json::from_slice(json)?)
}

/// A column holding a JSON array of field labels (`instance_events.changed`).
pub(super) fn encode_labels(labels: &[String]) -> anyhow::Result<String> {
    Ok(serde_json::to_string(labels)?)
}

pub(super) fn decode_labels(json: &str) -> anyhow::Result<Vec<String>> {
    Ok(serde_json::from_str(json)?)
}

#[cfg(test)]
mod tests {
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
}
