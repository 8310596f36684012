//! Field keys: how errors, fixes and the page's controls name a field of an
//! instance's settings (`name`, `variables.store`, `authentication.token`,
//! `private_key`, …). [`FieldKey`] reads and writes exactly those strings,
//! which travel in `FieldError::field` and `FieldToFix::field`, and knows
//! which part of the page shows the field and where it comes in page order.

use serde::{Deserialize, Serialize};

pub const FIELD_NAME: &str = "name";
pub const FIELD_TIME_ZONE: &str = "time_zone";
pub const FIELD_DATE_FORMAT: &str = "date_format";
pub const FIELD_RATE_LIMIT: &str = "rate_limit";
pub const FIELD_CONNECTION_POOL: &str = "connection_pool";
pub const FIELD_AUTH_METHOD: &str = "authentication.method";
pub const FIELD_CERTIFICATE: &str = "certificate";
/// The upload's fields (`CertificateUpload`), as error keys.
pub const FIELD_CERT_PRIVATE_KEY: &str = "private_key";
pub const FIELD_CERT_PASSPHRASE: &str = "passphrase";
pub const FIELD_CERT_PKCS12: &str = "pkcs12";
pub const FIELD_CERT_CA: &str = "ca_certificate";
/// Authorising with the provider: errors about it as a whole.
pub const FIELD_AUTHORISATION: &str = "authorisation";
/// The connector's settings as a whole: where a draft naming settings the
/// connector does not have is refused.
pub const FIELD_VARIABLES: &str = "variables";

const VARIABLE_PREFIX: &str = "variables.";
const AUTH_PREFIX: &str = "authentication.";

/// The three parts of the page, in the order their tabs are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Details,
    Authentication,
    Certificates,
}

/// A part of a certificate upload (or the stored certificate as a whole).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertificatePart {
    /// The client certificate (PEM), or the stored certificates as a whole.
    Certificate,
    PrivateKey,
    Passphrase,
    Pkcs12,
    Ca,
}

impl CertificatePart {
    pub const ALL: [CertificatePart; 5] = [
        CertificatePart::Certificate,
        CertificatePart::PrivateKey,
        CertificatePart::Passphrase,
        CertificatePart::Pkcs12,
        CertificatePart::Ca,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CertificatePart::Certificate => FIELD_CERTIFICATE,
            CertificatePart::PrivateKey => FIELD_CERT_PRIVATE_KEY,
            CertificatePart::Passphrase => FIELD_CERT_PASSPHRASE,
            CertificatePart::Pkcs12 => FIELD_CERT_PKCS12,
            CertificatePart::Ca => FIELD_CERT_CA,
        }
    }
}

/// The key of one field of an instance's settings, as errors name it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum FieldKey {
    Name,
    TimeZone,
    DateFormat,
    RateLimit,
    ConnectionPool,
    /// The connector's settings as a whole.
    Variables,
    /// One connector setting, by its key in the definition.
    Variable(String),
    AuthMethod,
    /// One field of the authentication method, by its key.
    AuthField(String),
    Certificate(CertificatePart),
    /// Authorising with the provider as a whole.
    Authorisation,
    /// A key none of the above: kept as it came, shown on the details tab
    /// after every other field.
    Other(String),
}

impl FieldKey {
    /// Reads a key; every string is some key.
    pub fn parse(key: &str) -> FieldKey {
        let fixed = [
            (FIELD_NAME, FieldKey::Name),
            (FIELD_TIME_ZONE, FieldKey::TimeZone),
            (FIELD_DATE_FORMAT, FieldKey::DateFormat),
            (FIELD_RATE_LIMIT, FieldKey::RateLimit),
            (FIELD_CONNECTION_POOL, FieldKey::ConnectionPool),
            (FIELD_VARIABLES, FieldKey::Variables),
            (FIELD_AUTH_METHOD, FieldKey::AuthMethod),
            (FIELD_AUTHORISATION, FieldKey::Authorisation),
        ];
        if let Some((_, fixed)) = fixed.into_iter().find(|(k, _)| *k == key) {
            return fixed;
        }
        if let Some(part) = CertificatePart::ALL.into_iter().find(|p| p.key() == key) {
            return FieldKey::Certificate(part);
        }
        if let Some(variable) = key.strip_prefix(VARIABLE_PREFIX) {
            return FieldKey::Variable(variable.to_owned());
        }
        if let Some(field) = key.strip_prefix(AUTH_PREFIX) {
            return FieldKey::AuthField(field.to_owned());
        }
        FieldKey::Other(key.to_owned())
    }

    /// Which part of the page shows the field.
    pub fn section(&self) -> Section {
        match self {
            FieldKey::Certificate(_) => Section::Certificates,
            FieldKey::AuthMethod | FieldKey::AuthField(_) | FieldKey::Authorisation => Section::Authentication,
            _ => Section::Details,
        }
    }

    /// Where the field comes on the page: keys sort by this into page order.
    pub fn page_order(&self) -> u8 {
        match self {
            FieldKey::Name => 0,
            FieldKey::TimeZone => 1,
            FieldKey::DateFormat => 2,
            FieldKey::RateLimit => 3,
            FieldKey::ConnectionPool => 4,
            FieldKey::Variables | FieldKey::Variable(_) => 5,
            FieldKey::AuthMethod => 6,
            FieldKey::AuthField(_) => 7,
            FieldKey::Authorisation => 8,
            FieldKey::Certificate(CertificatePart::Certificate | CertificatePart::Pkcs12) => 9,
            FieldKey::Certificate(CertificatePart::PrivateKey) => 10,
            FieldKey::Certificate(CertificatePart::Passphrase) => 11,
            FieldKey::Certificate(CertificatePart::Ca) => 12,
            FieldKey::Other(_) => 13,
        }
    }

    /// Whether the field is the authentication method or one of its fields
    /// (the keys under `authentication.`).
    pub fn is_authentication(&self) -> bool {
        matches!(self, FieldKey::AuthMethod | FieldKey::AuthField(_))
    }

    /// Whether the field is one connector setting.
    pub fn is_variable(&self) -> bool {
        matches!(self, FieldKey::Variable(_))
    }
}

impl std::fmt::Display for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fixed = match self {
            FieldKey::Name => FIELD_NAME,
            FieldKey::TimeZone => FIELD_TIME_ZONE,
            FieldKey::DateFormat => FIELD_DATE_FORMAT,
            FieldKey::RateLimit => FIELD_RATE_LIMIT,
            FieldKey::ConnectionPool => FIELD_CONNECTION_POOL,
            FieldKey::Variables => FIELD_VARIABLES,
            FieldKey::AuthMethod => FIELD_AUTH_METHOD,
            FieldKey::Authorisation => FIELD_AUTHORISATION,
            FieldKey::Certificate(part) => part.key(),
            FieldKey::Variable(key) => return write!(f, "{VARIABLE_PREFIX}{key}"),
            FieldKey::AuthField(key) => return write!(f, "{AUTH_PREFIX}{key}"),
            FieldKey::Other(key) => key,
        };
        f.write_str(fixed)
    }
}

impl From<FieldKey> for String {
    fn from(key: FieldKey) -> String {
        key.to_string()
    }
}

impl From<String> for FieldKey {
    fn from(key: String) -> FieldKey {
        FieldKey::parse(&key)
    }
}

/// The error key of a connector variable, e.g. `variables.store`.
pub fn variable_field(key: &str) -> String {
    FieldKey::Variable(key.to_owned()).to_string()
}

/// The error key of an authentication field, e.g. `authentication.token`.
pub fn auth_field(key: &str) -> String {
    FieldKey::AuthField(key.to_owned()).to_string()
}

#[cfg(test)]
mod tests;
