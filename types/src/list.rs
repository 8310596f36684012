//! `GET /api/connectors`: the installed connectors and their instances, as
//! the list shows them.

use serde::{Deserialize, Serialize};

use crate::connectors::AuthKind;
use crate::scalars::{Id, Timestamp};
/// `GET /api/connectors`: the company's installed connectors with their instances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorList {
    pub connectors: Vec<ConnectorSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorSummary {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub instances: Vec<InstanceSummary>,
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
