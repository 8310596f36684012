//! `GET /api/instances/{id}`: an instance's settings, tab by tab.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::certificates::CertificateState;
use crate::connectors::ConnectorDefinition;
use crate::list::InstanceStatus;
use crate::scalars::{Id, Timestamp};
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateLimitUnit {
    Second,
    Minute,
    Hour,
    Day,
}

impl RateLimitUnit {
    pub const ALL: [RateLimitUnit; 4] = [
        RateLimitUnit::Second,
        RateLimitUnit::Minute,
        RateLimitUnit::Hour,
        RateLimitUnit::Day,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RateLimitUnit::Second => "second",
            RateLimitUnit::Minute => "minute",
            RateLimitUnit::Hour => "hour",
            RateLimitUnit::Day => "day",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub amount: u32,
    pub unit: RateLimitUnit,
}

/// The `instance details` tab's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceDetails {
    /// What users see when they choose an instance.
    pub name: String,
    /// An IANA time zone, e.g. `Europe/London`.
    pub time_zone: String,
    /// e.g. `Y-m-d H:i:s`
    pub date_format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_pool: Option<String>,
    /// Values of the connector's instance variables, by key.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// One authentication field as the server reports it: a secret's value never
/// leaves the server, only whether one is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthFieldValue {
    Plain { value: String },
    Secret { is_set: bool },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceAuthentication {
    /// The chosen method's key in the connector definition.
    pub method: String,
    #[serde(default)]
    pub fields: BTreeMap<String, AuthFieldValue>,
    /// For a method that authorises with the provider (OAuth 2
    /// authorisation code): when the stored tokens were obtained. `None`
    /// when the instance has not been authorised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorised_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessFlowRef {
    pub id: Id,
    pub name: String,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorRef {
    pub id: Id,
    pub name: String,
    pub definition: ConnectorDefinition,
}

/// `GET /api/instances/{id}`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSettings {
    pub id: Id,
    /// Increases with every save; a save names the version it started from.
    pub version: i64,
    pub connector: ConnectorRef,
    pub details: InstanceDetails,
    pub authentication: InstanceAuthentication,
    pub certificate: CertificateState,
    pub status: InstanceStatus,
    /// When a person last tested the saved connection, and when the
    /// background checker last did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_tested_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked_at: Option<Timestamp>,
    /// The process flows (enabled or not) that use this instance.
    pub process_flows: Vec<ProcessFlowRef>,
    /// The company's connection pools, the choices for `details.connection_pool`.
    #[serde(default)]
    pub connection_pools: Vec<String>,
    /// Where OAuth 2 providers send people back after authorising (the
    /// address to register with the provider): present when the connector
    /// offers a method that authorises with the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_callback_url: Option<String>,
}

#[cfg(test)]
mod tests;
