//! What an instance presents and trusts when it connects, as the server
//! read it from an upload, and the one rule for expiry warnings.

use serde::{Deserialize, Serialize};

use crate::scalars::Timestamp;
/// What the server read from an uploaded certificate. It holds no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    /// The subject's distinguished name, e.g. `CN=orders.example.com, O=Example`.
    pub subject: String,
    pub issuer: String,
    /// DNS names, IP addresses, emails and URIs, as written.
    #[serde(default)]
    pub subject_alt_names: Vec<String>,
    pub not_before: Timestamp,
    /// The last moment the certificate is valid (inclusive).
    pub not_after: Timestamp,
    /// Upper-case hex pairs separated by colons.
    pub sha256_fingerprint: String,
    /// e.g. `RSA 2048`, `ECDSA P-256`, `Ed25519`.
    pub key_type: String,
}

impl CertificateInfo {
    pub fn expiry(&self, now: Timestamp) -> Option<Expiry> {
        Expiry::at(self.not_after, now)
    }
}

/// What an instance presents and trusts when it connects: a client
/// certificate with its private key (for mutual TLS), a CA certificate to
/// trust besides the system's roots (for a server behind a private CA), or
/// both. At least one of the two is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCertificates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<CertificateInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<CertificateInfo>,
}

impl StoredCertificates {
    /// The earliest expiry of the certificates.
    pub fn not_after(&self) -> Timestamp {
        self.client
            .iter()
            .chain(&self.ca)
            .map(|c| c.not_after)
            .min()
            .unwrap_or(Timestamp::MAX)
    }
}

/// The state of the instance's certificates (client certificate, trusted CA).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CertificateState {
    None,
    Stored(StoredCertificates),
}

impl CertificateState {
    pub fn stored(&self) -> Option<&StoredCertificates> {
        match self {
            CertificateState::None => None,
            CertificateState::Stored(stored) => Some(stored),
        }
    }
}

/// How close a certificate is to its expiry, when that deserves a warning.
/// One rule for the server and the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Expiry {
    /// `not_after` has passed.
    Expired,
    /// Expires within [`Expiry::WARNING_DAYS`]; whole days left (0 = within a day).
    Soon { days: i64 },
}

impl Expiry {
    /// Certificates get a warning from this many days before they expire…
    pub const WARNING_DAYS: i64 = 30;
    /// …and a stronger one from this many.
    pub const URGENT_DAYS: i64 = 14;
    const DAY: i64 = 86_400;

    /// The warning for a certificate valid until `not_after` (inclusive, as
    /// X.509 says), seen at `now`.
    pub fn at(not_after: Timestamp, now: Timestamp) -> Option<Expiry> {
        let left = not_after.saturating_sub(now);
        if left < 0 {
            Some(Expiry::Expired)
        } else if left <= Expiry::WARNING_DAYS * Expiry::DAY {
            Some(Expiry::Soon {
                days: left / Expiry::DAY,
            })
        } else {
            None
        }
    }

    /// Expired, or expiring within [`Expiry::URGENT_DAYS`].
    pub fn is_urgent(self) -> bool {
        match self {
            Expiry::Expired => true,
            Expiry::Soon { days } => days <= Expiry::URGENT_DAYS,
        }
    }

    pub fn sentence(self) -> String {
        match self {
            Expiry::Expired => "expired".to_string(),
            Expiry::Soon { days: 0 } => "expires within a day".to_string(),
            Expiry::Soon { days: 1 } => "expires in 1 day".to_string(),
            Expiry::Soon { days } => format!("expires in {days} days"),
        }
    }
}


#[cfg(test)]
mod tests;
