//! `GET /api/connectors`: the installed connectors and, a page at a time,
//! their instances, as the list shows them. What the list asks for (search,
//! filters, page) is in [`crate::list_query`].

use serde::{Deserialize, Serialize};

use crate::connectors::AuthKind;
use crate::scalars::{Id, Timestamp};
/// `GET /api/connectors`: the company's installed connectors, each with one
/// page of its instances (those the query keeps, by name then id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorList {
    pub connectors: Vec<ConnectorSummary>,
    /// Every installed connector, by name, whatever the query kept: what
    /// the list's connector filter offers.
    #[serde(default)]
    pub choices: Vec<ConnectorChoice>,
}

/// An installed connector as the connector filter names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorChoice {
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorSummary {
    pub id: Id,
    pub slug: String,
    pub name: String,
    /// One page of the instances the query keeps, in the list's order.
    pub instances: Vec<InstanceSummary>,
    /// How many instances the connector has in all.
    #[serde(default)]
    pub instance_count: u32,
    /// How many of them the query keeps (`instance_count` without a filter).
    #[serde(default)]
    pub matching_count: u32,
    /// The cursor of the page after this one (`after=` with this
    /// connector's slug), when more instances match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// What is known of an instance's connection, as the list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    NotTested,
    Operational,
    FailedAuthentication,
    Unreachable,
    NeedsReconnecting,
    /// The connection works, but its client certificate expires soon.
    CertificateExpiring,
    /// The stored client certificate (or its CA) has expired.
    CertificateExpired,
}

impl InstanceStatus {
    /// Every status, in the order the list's status filter offers them.
    pub const ALL: [InstanceStatus; 7] = [
        InstanceStatus::Operational,
        InstanceStatus::NotTested,
        InstanceStatus::FailedAuthentication,
        InstanceStatus::Unreachable,
        InstanceStatus::NeedsReconnecting,
        InstanceStatus::CertificateExpiring,
        InstanceStatus::CertificateExpired,
    ];

    /// The status as a query parameter (`status=failed_authentication`),
    /// the same word the JSON uses.
    pub fn key(self) -> &'static str {
        match self {
            InstanceStatus::NotTested => "not_tested",
            InstanceStatus::Operational => "operational",
            InstanceStatus::FailedAuthentication => "failed_authentication",
            InstanceStatus::Unreachable => "unreachable",
            InstanceStatus::NeedsReconnecting => "needs_reconnecting",
            InstanceStatus::CertificateExpiring => "certificate_expiring",
            InstanceStatus::CertificateExpired => "certificate_expired",
        }
    }

    pub fn from_key(key: &str) -> Option<InstanceStatus> {
        InstanceStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            InstanceStatus::NotTested => "not tested",
            InstanceStatus::Operational => "operational",
            InstanceStatus::FailedAuthentication => "failed authentication",
            InstanceStatus::Unreachable => "unreachable",
            InstanceStatus::NeedsReconnecting => "needs reconnecting",
            InstanceStatus::CertificateExpiring => "certificate expiring",
            InstanceStatus::CertificateExpired => "certificate expired",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSummary {
    pub id: Id,
    pub name: String,
    pub auth_kind: AuthKind,
    /// The authentication method's label, as the connector names it.
    pub auth_method_label: String,
    pub status: InstanceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_tested_at: Option<Timestamp>,
    /// When the background checker last tested the saved connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked_at: Option<Timestamp>,
    /// How many process flows (enabled or not) use this instance.
    pub process_flow_count: u32,
    /// When the earliest of the instance's stored certificates expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_not_after: Option<Timestamp>,
}
