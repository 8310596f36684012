//! The draft itself: one [`InstanceDraft`] holds the edits of all three tabs,
//! with what to do with each stored secret and certificate, and the part of
//! it that decides how the connection is made.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AuthFieldValue, InstanceDetails, InstanceSettings};

/// One authentication field in a draft. A secret is never sent back to the
/// browser, so a draft says what to do with the stored one instead. Its
/// Debug output leaves a new secret's value out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftField {
    /// A field that is not secret, with its value.
    Plain { value: String },
    /// A secret field: keep the stored value (or keep it unset).
    Keep,
    /// A secret field: store this new value.
    Replace { value: String },
    /// A secret field: remove the stored value.
    Clear,
}

impl std::fmt::Debug for DraftField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DraftField::Plain { value } => f.debug_struct("Plain").field("value", value).finish(),
            DraftField::Keep => f.write_str("Keep"),
            DraftField::Replace { .. } => f.debug_struct("Replace").field("value", &crate::redacted::Redacted).finish(),
            DraftField::Clear => f.write_str("Clear"),
        }
    }
}

impl DraftField {
    /// Whether this secret field asks to keep a stored value.
    pub fn keeps(&self) -> bool {
        matches!(self, DraftField::Keep)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftAuthentication {
    /// The chosen method's key in the connector definition.
    pub method: String,
    #[serde(default)]
    pub fields: BTreeMap<String, DraftField>,
}

/// What the draft does with the instance's certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CertificateDraft {
    #[default]
    Keep,
    /// Remove them all.
    Remove,
    /// Remove only the trusted CA certificate; a client certificate stays.
    RemoveCa,
    /// Replace them (or add them) with these, once saved.
    Upload(CertificateUpload),
}

/// A client certificate with its private key, a CA certificate to trust, or
/// both. `POST /api/certificates/inspect` answers with the
/// [`crate::StoredCertificates`] it would store, or field errors keyed by the
/// `FIELD_CERT_*` names.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateUpload {
    /// The client certificate and key; none for a CA alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityUpload>,
    /// PEM text of a CA certificate to trust besides the system's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate_pem: Option<String>,
}

/// The client certificate and its private key, in one of two formats.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum IdentityUpload {
    /// PEM text: the certificate (chain), and the private key, which may be
    /// encrypted (then `passphrase` decrypts it).
    Pem {
        certificate_pem: String,
        private_key_pem: String,
        #[serde(default)]
        passphrase: String,
    },
    /// A PKCS#12 (.p12, .pfx) archive, base64-encoded, and its passphrase.
    Pkcs12 {
        pkcs12_base64: String,
        #[serde(default)]
        passphrase: String,
    },
}

/// Names what was uploaded, never the key or passphrase.
impl std::fmt::Debug for CertificateUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let format = match self.identity {
            Some(IdentityUpload::Pem { .. }) => "pem",
            Some(IdentityUpload::Pkcs12 { .. }) => "pkcs12",
            None => "ca only",
        };
        f.debug_struct("CertificateUpload")
            .field("format", &format)
            .field("ca", &self.ca_certificate_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// The whole `instance settings` page's edits: all three tabs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceDraft {
    pub details: InstanceDetails,
    pub authentication: DraftAuthentication,
    #[serde(default)]
    pub certificate: CertificateDraft,
}

/// The part of a draft that decides how the connection is made. A test
/// receipt is bound to this part only, so renaming an instance after a
/// passing test needs no second test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectionDraft<'a> {
    pub variables: &'a BTreeMap<String, String>,
    pub authentication: &'a DraftAuthentication,
    pub certificate: &'a CertificateDraft,
}


impl InstanceDraft {
    /// A draft equal to the saved settings: every secret kept.
    pub fn from_settings(settings: &InstanceSettings) -> InstanceDraft {
        InstanceDraft {
            details: settings.details.clone(),
            authentication: DraftAuthentication {
                method: settings.authentication.method.clone(),
                fields: settings
                    .authentication
                    .fields
                    .iter()
                    .map(|(key, value)| {
                        let field = match value {
                            AuthFieldValue::Plain { value } => DraftField::Plain {
                                value: value.clone(),
                            },
                            AuthFieldValue::Secret { .. } => DraftField::Keep,
                        };
                        (key.clone(), field)
                    })
                    .collect(),
            },
            certificate: CertificateDraft::Keep,
        }
    }

    pub fn connection(&self) -> ConnectionDraft<'_> {
        ConnectionDraft {
            variables: &self.details.variables,
            authentication: &self.authentication,
            certificate: &self.certificate,
        }
    }

    /// Switches to another authentication method. Another method's fields
    /// start empty and its secrets unset (a stored secret belongs to the
    /// saved method); going back to the saved method restores its saved
    /// values, stored secrets kept.
    pub fn choose_method(&mut self, saved: &InstanceSettings, method: &str) {
        if self.authentication.method == method {
            return;
        }
        if saved.authentication.method == method {
            self.authentication = InstanceDraft::from_settings(saved).authentication;
            return;
        }
        self.authentication.method = method.to_owned();
        self.authentication.fields = saved
            .connector
            .definition
            .auth_method(method)
            .map(|m| {
                m.fields
                    .iter()
                    .map(|f| {
                        let field = if f.secret {
                            DraftField::Clear
                        } else {
                            DraftField::Plain {
                                value: String::new(),
                            }
                        };
                        (f.key.clone(), field)
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
}


#[cfg(test)]
mod tests;
