//! Adding an instance: the new draft (blank, or a duplicate of an instance
//! without its secrets), the request that creates it, and the rules both
//! sides apply: names are unique within a company's connector, whatever
//! their case, and a copy's name is the first free "<name> (copy)",
//! "<name> (copy 2)", ….
//!
//! A new draft is edited against [`blank_settings`]: settings with no id,
//! no version, no method and nothing stored. Every draft differs from them
//! in its method, so every new draft changes the connection and needs a
//! passing test (or an authorisation) before it can be created, and no
//! draft can keep a stored secret, since there is none.

use serde::{Deserialize, Serialize};

use crate::draft::{CertificateDraft, CertificateUpload, DraftAuthentication, DraftField, InstanceDraft, DATE_FORMATS};
use crate::{
    AuthFieldValue, CertificateState, ConnectorRef, InstanceAuthentication, InstanceDetails, InstanceSettings,
    InstanceStatus, StoredCertificates,
};

/// The sentence at the name field when the name is taken.
pub const NAME_TAKEN: &str = "Another instance of this connector already has this name. Choose another name.";

/// The time zone a blank draft starts with.
pub const DEFAULT_TIME_ZONE: &str = "Europe/London";

/// `GET /api/connectors/{id}/instances/new` and
/// `GET /api/instances/{id}/duplicate`: what the `add new instance` page
/// edits. `settings` are [`blank_settings`]; `draft` the starting draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInstanceDraft {
    pub settings: InstanceSettings,
    pub draft: InstanceDraft,
    /// The instance this draft copies, when it is a duplicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
    /// What the draft's certificate upload holds (a copied trusted CA), as
    /// the `certificates` tab shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<StoredCertificates>,
}

/// `POST /api/connectors/{id}/instances`: create an instance from a draft.
/// Answers `201` with its [`InstanceSettings`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateInstanceRequest {
    pub draft: InstanceDraft,
    /// `TestReceipt::token` of a passing test of this new draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// `AuthoriseStart::authorisation` of a completed authorisation of
    /// this new draft, for methods that authorise with the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorisation: Option<String>,
}

/// The settings a new draft of `connector` is edited against: no id, no
/// version, no method, nothing stored.
pub fn blank_settings(connector: ConnectorRef, connection_pools: Vec<String>) -> InstanceSettings {
    InstanceSettings {
        id: 0,
        version: 0,
        connector,
        details: InstanceDetails {
            name: String::new(),
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            date_format: DATE_FORMATS[0].0.to_owned(),
            rate_limit: None,
            connection_pool: None,
            variables: Default::default(),
        },
        authentication: InstanceAuthentication { method: String::new(), fields: Default::default(), authorised_at: None },
        certificate: CertificateState::None,
        status: InstanceStatus::NotTested,
        last_tested_at: None,
        last_checked_at: None,
        process_flows: vec![],
        connection_pools,
        oauth_callback_url: None,
    }
}

/// Whether `settings` are a new draft's (no instance yet).
pub fn is_new(settings: &InstanceSettings) -> bool {
    settings.id == 0
}

/// The draft of a new instance of `blank`'s connector: its first method,
/// every field empty, every variable empty, nothing stored.
pub fn new_draft(blank: &InstanceSettings) -> InstanceDraft {
    let definition = &blank.connector.definition;
    let method = definition.auth_methods.first();
    let mut details = blank.details.clone();
    details.variables = definition.variables.iter().map(|v| (v.key.clone(), String::new())).collect();
    InstanceDraft {
        details,
        authentication: DraftAuthentication {
            method: method.map(|m| m.key.clone()).unwrap_or_default(),
            fields: method
                .map(|m| {
                    m.fields
                        .iter()
                        .map(|f| {
                            let field =
                                if f.secret { DraftField::Keep } else { DraftField::Plain { value: String::new() } };
                            (f.key.clone(), field)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        },
        certificate: CertificateDraft::Keep,
    }
}

/// What a duplicate of `original` shows of its certificates: the trusted
/// CA only (the client certificate stays behind with its key).
pub fn copied_certificate(original: &InstanceSettings) -> Option<StoredCertificates> {
    let ca = original.certificate.stored()?.ca.clone()?;
    Some(StoredCertificates { client: None, ca: Some(ca) })
}

/// A new draft copying `original`: its details (under `name`), method and
/// plain fields, and the trusted CA certificate `ca_pem` when it has one
/// (public, so it may travel). Secrets, the client certificate with its
/// key, and OAuth tokens are never copied: each secret field is left to be
/// entered.
pub fn duplicate_draft(original: &InstanceSettings, name: String, ca_pem: Option<String>) -> InstanceDraft {
    let mut details = original.details.clone();
    details.name = name;
    for def in original.connector.definition.variables.iter().filter(|v| v.secret) {
        details.variables.insert(def.key.clone(), String::new());
    }
    let fields = original
        .authentication
        .fields
        .iter()
        .map(|(key, value)| {
            let field = match value {
                AuthFieldValue::Plain { value } => DraftField::Plain { value: value.clone() },
                AuthFieldValue::Secret { .. } => DraftField::Keep,
            };
            (key.clone(), field)
        })
        .collect();
    let certificate = match ca_pem {
        Some(pem) => CertificateDraft::Upload(CertificateUpload { identity: None, ca_certificate_pem: Some(pem) }),
        None => CertificateDraft::Keep,
    };
    InstanceDraft {
        details,
        authentication: DraftAuthentication { method: original.authentication.method.clone(), fields },
        certificate,
    }
}

/// Whether two instance names are the same name: equal once trimmed,
/// whatever their case.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether `name` is taken by one of `others` (the names of the other
/// instances of the same connector in the company).
pub fn name_taken<'a>(name: &str, others: impl IntoIterator<Item = &'a str>) -> bool {
    others.into_iter().any(|other| same_name(name, other))
}

/// The first free name for a copy of `name`: "<name> (copy)", then
/// "<name> (copy 2)", "(copy 3)"…. A copy of a copy copies the original
/// name ("A (copy)" gives "A (copy 2)").
pub fn copy_name<'a>(name: &str, taken: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let base = original_name(name.trim());
    let mut n = 1;
    loop {
        let candidate = if n == 1 { format!("{base} (copy)") } else { format!("{base} (copy {n})") };
        if !name_taken(&candidate, taken.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// `name` without a trailing " (copy)" or " (copy N)".
fn original_name(name: &str) -> &str {
    let Some(open) = name.strip_suffix(')').and_then(|rest| rest.rfind(" (copy").map(|at| (rest, at))) else {
        return name;
    };
    let (rest, at) = open;
    let tail = &rest[at + " (copy".len()..];
    let numbered = tail.strip_prefix(' ').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if (tail.is_empty() || numbered) && at > 0 {
        &rest[..at]
    } else {
        name
    }
}

#[cfg(test)]
mod tests;
