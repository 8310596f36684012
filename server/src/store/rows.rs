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
        InstanceStatus::CertificateExpiring => "certificate_expiring",
        InstanceStatus::CertificateExpired => "certificate_expired",
    }
}

pub(super) fn parse_status(key: &str) -> anyhow::Result<InstanceStatus> {
    Ok(match key {
        "not_tested" => InstanceStatus::NotTested,
        "operational" => InstanceStatus::Operational,
        "failed_authentication" => InstanceStatus::FailedAuthentication,
        "unreachable" => InstanceStatus::Unreachable,
        "needs_reconnecting" => InstanceStatus::NeedsReconnecting,
        "certificate_expiring" => InstanceStatus::CertificateExpiring,
        "certificate_expired" => InstanceStatus::CertificateExpired,
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
mod tests;
