//! The contract between the conduit server and the dashboard.
//!
//! Every request and response body of the JSON API is defined here, once, and
//! compiled into both sides, so the two cannot drift apart. This crate depends
//! on serde only.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod address;
pub mod draft;
pub mod field_key;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod time_zones;

/// Identifiers are opaque to the client; they are only ever compared and put in URLs.
pub type Id = i64;

/// Seconds since the Unix epoch (UTC).
pub type Timestamp = i64;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// The one error body every failing API call answers with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A sentence a person can read.
    pub message: String,
    /// Problems with individual fields of the request, when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// For a stale save: who saved the instance in between, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictInfo>,
}

/// Someone else saved the instance after the draft was started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictInfo {
    /// The name of the user who saved.
    pub saved_by: String,
    pub saved_at: Timestamp,
    /// The version their save made.
    pub version: i64,
    /// The save was the signed-in user's own (in another tab or window).
    #[serde(default, skip_serializing_if = "is_false")]
    pub by_you: bool,
    /// The labels of the fields the saves since the draft's version changed
    /// (as `draft::changed_fields` names them), so the dashboard can tell
    /// whether the user's edits touch the same fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request could not be read (malformed JSON, a bad path parameter, …).
    BadRequest,
    /// Not signed in, or the sign-in was not accepted.
    Unauthenticated,
    NotFound,
    /// The request conflicts with the current state (e.g. a stale version).
    Conflict,
    /// The request was read but some fields are not acceptable.
    Validation,
    /// A change to the connection was saved without proof that exactly this
    /// draft passed a connection test (missing, expired, tampered or
    /// other-draft receipt).
    TestRequired,
    TooManyRequests,
    /// The request is not allowed from where it came (e.g. another site).
    Forbidden,
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's key as the request names it, e.g. `email`.
    pub field: String,
    pub message: String,
}

// ---------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------

/// `POST /api/session`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `GET /api/me`, and the answer to a successful `POST /api/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: UserSummary,
    pub company: CompanySummary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: Id,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySummary {
    pub id: Id,
    pub name: String,
}

// ---------------------------------------------------------------------------
// Connector definitions: a connector is data, not code
// ---------------------------------------------------------------------------

/// The kinds of authentication a connector can offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    Basic,
    Token,
    Oauth2ClientCredentials,
    Oauth2AuthorisationCode,
    Oauth1,
}

impl AuthKind {
    /// The name users see, in the product's wording.
    pub fn label(self) -> &'static str {
        match self {
            AuthKind::Basic => "basic",
            AuthKind::Token => "token",
            AuthKind::Oauth2ClientCredentials => "OAuth 2 (client credentials)",
            AuthKind::Oauth2AuthorisationCode => "OAuth 2 (authorisation code)",
            AuthKind::Oauth1 => "OAuth 1",
        }
    }

    /// Whether the user must take an extra step (such as consenting at the
    /// provider) to verify credentials. Such methods get no connection test.
    pub fn needs_user_step(self) -> bool {
        matches!(self, AuthKind::Oauth2AuthorisationCode)
    }
}

/// Where the value of a field or variable is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Placement {
    /// Substituted wherever `{{key}}` appears in the base URL or test path.
    Url,
    /// A header; `prefix` goes before the value, e.g. `Bearer `.
    Header {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
    },
    Query {
        name: String,
    },
    Body {
        name: String,
    },
    /// Used by the authentication method itself (e.g. a basic password, an
    /// OAuth client secret) rather than placed verbatim in the request.
    Auth,
}

/// A value a user enters for an instance: a connector variable or an
/// authentication field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub required: bool,
    pub placement: Placement,
    /// The value decides where credentials are sent (e.g. a token URL).
    /// Variables placed in the URL always do.
    #[serde(default, skip_serializing_if = "is_false")]
    pub destination: bool,
    /// The values the field may take, for a field chosen from a list
    /// (e.g. how an OAuth 2 client authenticates). An empty value means the
    /// first choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<FieldChoice>,
    /// What the value is, which decides how it is checked.
    #[serde(default, skip_serializing_if = "FieldKind::is_text")]
    pub kind: FieldKind,
}

/// One value a choice field may take, and how the page names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChoice {
    pub value: String,
    pub label: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    /// A whole http or https address, e.g. a base URL or a token URL
    /// (checked by [`address::url_problem`]).
    Url,
}

impl FieldKind {
    fn is_text(&self) -> bool {
        *self == FieldKind::Text
    }
}

impl FieldDef {
    /// Whether changing this field's value changes where credentials go.
    pub fn is_destination(&self) -> bool {
        self.destination || self.placement == Placement::Url
    }

    /// The value that counts for `value`: a choice field's empty value is
    /// its first choice; any other field's value is itself.
    pub fn chosen<'a>(&'a self, value: &'a str) -> &'a str {
        match self.choices.first() {
            Some(first) if value.is_empty() => &first.value,
            _ => value,
        }
    }
}

/// The key of the choice field that says how an OAuth 2 client
/// authenticates at the token endpoint; its values are
/// [`ClientAuthStyle::key`]s. Without it the method's settings decide.
pub const CLIENT_AUTH_FIELD: &str = "client_auth";
/// The key of the choice field that picks the OAuth 1 signature method; its
/// values are [`SignatureMethod::name`]s. Without it the method's settings decide.
pub const SIGNATURE_METHOD_FIELD: &str = "signature_method";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthMethodDef {
    /// Stable key, unique within the connector, e.g. `api_key`.
    pub key: String,
    pub label: String,
    pub kind: AuthKind,
    pub fields: Vec<FieldDef>,
    #[serde(default)]
    pub settings: AuthSettings,
}

/// How an OAuth 2 client authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthStyle {
    /// `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 2.3.1).
    #[default]
    BasicHeader,
    /// `client_id` and `client_secret` in the form body.
    RequestBody,
}

impl ClientAuthStyle {
    pub const ALL: [ClientAuthStyle; 2] = [ClientAuthStyle::BasicHeader, ClientAuthStyle::RequestBody];

    /// The value a [`CLIENT_AUTH_FIELD`] holds for this style (as serde names it).
    pub fn key(self) -> &'static str {
        match self {
            ClientAuthStyle::BasicHeader => "basic_header",
            ClientAuthStyle::RequestBody => "request_body",
        }
    }

    pub fn from_key(key: &str) -> Option<ClientAuthStyle> {
        ClientAuthStyle::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// The OAuth 1 signature method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureMethod {
    #[default]
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
}

impl SignatureMethod {
    pub const ALL: [SignatureMethod; 2] = [SignatureMethod::HmacSha256, SignatureMethod::HmacSha1];

    /// The name `oauth_signature_method` carries, and a
    /// [`SIGNATURE_METHOD_FIELD`] holds.
    pub fn name(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
        }
    }

    pub fn from_name(name: &str) -> Option<SignatureMethod> {
        SignatureMethod::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Choices a connector makes about how its authentication method works.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSettings {
    #[serde(default)]
    pub client_auth: ClientAuthStyle,
    #[serde(default)]
    pub signature_method: SignatureMethod,
    /// OAuth 2 authorisation code: the provider's consent page, a template
    /// that may use `{{variables}}`. When absent, the method has an
    /// `authorize_url` field instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// OAuth 2 authorisation code: the token endpoint, a template that may
    /// use `{{variables}}`. When absent, the method has a `token_url` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// OAuth 2 authorisation code: how the scope field's value is split
    /// and joined for the provider (Shopify uses commas, RFC 6749 spaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_separator: Option<String>,
}

/// The request sent to check an instance's credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestRequestDef {
    pub method: String,
    /// Appended to the base URL; may contain `{{variables}}`.
    pub path: String,
    /// Statuses that mean the credentials were accepted.
    pub expected_statuses: Vec<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorDefinition {
    /// e.g. `https://{{store}}.myshopify.com/admin/api/2024-10`
    pub base_url: String,
    /// The connector's own instance variables (e.g. a store domain).
    pub variables: Vec<FieldDef>,
    pub auth_methods: Vec<AuthMethodDef>,
    pub test_request: TestRequestDef,
}

impl ConnectorDefinition {
    pub fn auth_method(&self, key: &str) -> Option<&AuthMethodDef> {
        self.auth_methods.iter().find(|m| m.key == key)
    }
}

// ---------------------------------------------------------------------------
// manage connectors
// ---------------------------------------------------------------------------

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
}

impl InstanceStatus {
    pub fn label(self) -> &'static str {
        match self {
            InstanceStatus::NotTested => "not tested",
            InstanceStatus::Operational => "operational",
            InstanceStatus::FailedAuthentication => "failed authentication",
            InstanceStatus::Unreachable => "unreachable",
            InstanceStatus::NeedsReconnecting => "needs reconnecting",
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
    /// How many process flows (enabled or not) use this instance.
    pub process_flow_count: u32,
    /// When the earliest of the instance's stored certificates expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_not_after: Option<Timestamp>,
}

// ---------------------------------------------------------------------------
// instance settings
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// test instance connection
// ---------------------------------------------------------------------------

/// How a connection test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestOutcome {
    /// The credentials were accepted.
    Ok,
    /// The host name could not be resolved.
    Dns,
    /// No connection could be made to the host.
    Connect,
    /// The TLS handshake failed (untrusted certificate, name mismatch, …).
    Tls,
    /// A step took longer than allowed.
    Timeout,
    /// The system answered that the credentials are not accepted.
    AuthRejected,
    /// The system answered with a status the connector does not expect.
    UnexpectedStatus,
    /// The address is one the egress policy does not allow.
    BlockedByPolicy,
    /// The settings cannot make a request (missing value, bad URL, …).
    InvalidSettings,
}

/// The steps of a connection test, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStepKind {
    Resolve,
    Connect,
    TlsHandshake,
    TokenExchange,
    TestRequest,
}

impl TestStepKind {
    pub fn label(self) -> &'static str {
        match self {
            TestStepKind::Resolve => "resolve",
            TestStepKind::Connect => "connect",
            TestStepKind::TlsHandshake => "TLS handshake",
            TestStepKind::TokenExchange => "token exchange",
            TestStepKind::TestRequest => "test request",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestStep {
    pub kind: TestStepKind,
    pub ok: bool,
    pub duration_ms: u64,
    /// The HTTP status of this step's answer, where there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
}

/// The classified result of `test instance connection`. It never holds the
/// third party's response body or any secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    pub outcome: TestOutcome,
    /// A sentence a person understands.
    pub message: String,
    pub steps: Vec<TestStep>,
    /// The test request's HTTP status, where there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    pub duration_ms: u64,
    /// The field the failure points at (a refused password, an unknown
    /// token URL), when it points at one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FieldToFix>,
}

/// The field a failed test points at: its error key (as in
/// [`FieldError::field`], e.g. `authentication.password`), its label as the
/// page shows it, and a short sentence on what to check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldToFix {
    pub field: String,
    pub label: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_omits_empty_field_list_and_reads_it_back() {
        let body = ErrorBody {
            code: ErrorCode::NotFound,
            message: "There is no instance with that id.".into(),
            fields: vec![],
            conflict: None,
        };
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"code":"not_found","message":"There is no instance with that id."}"#
        );
        assert_eq!(serde_json::from_str::<ErrorBody>(&json).unwrap(), body);
    }

    #[test]
    fn secret_fields_carry_no_value_on_the_wire() {
        let json = serde_json::to_value(AuthFieldValue::Secret { is_set: true }).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "secret", "is_set": true}));
    }

    #[test]
    fn placement_is_tagged_by_where_it_goes() {
        let p: Placement =
            serde_json::from_str(r#"{"in":"header","name":"X-Shopify-Access-Token"}"#).unwrap();
        assert_eq!(
            p,
            Placement::Header {
                name: "X-Shopify-Access-Token".into(),
                prefix: None,
            }
        );
    }

    #[test]
    fn certificates_warn_within_thirty_days_more_strongly_within_fourteen() {
        let now = 1_700_000_000;
        let day = 86_400;
        assert_eq!(Expiry::at(now + 30 * day + 1, now), None);
        assert_eq!(Expiry::at(now + 31 * day, now), None);
        assert_eq!(
            Expiry::at(now + 30 * day, now),
            Some(Expiry::Soon { days: 30 })
        );
        assert!(!Expiry::at(now + 15 * day, now).unwrap().is_urgent());
        assert!(Expiry::at(now + 14 * day + 5, now).unwrap().is_urgent());
        assert_eq!(Expiry::at(now + 60, now), Some(Expiry::Soon { days: 0 }));
        // Valid through `not_after` itself.
        assert_eq!(Expiry::at(now, now), Some(Expiry::Soon { days: 0 }));
        assert_eq!(Expiry::at(now - 1, now), Some(Expiry::Expired));
        assert_eq!(Expiry::at(i64::MIN, i64::MAX), Some(Expiry::Expired));
        assert!(Expiry::Expired.is_urgent());
    }

    #[test]
    fn expiry_sentences() {
        assert_eq!(Expiry::Expired.sentence(), "expired");
        assert_eq!(Expiry::Soon { days: 0 }.sentence(), "expires within a day");
        assert_eq!(Expiry::Soon { days: 1 }.sentence(), "expires in 1 day");
        assert_eq!(Expiry::Soon { days: 9 }.sentence(), "expires in 9 days");
    }

    #[test]
    fn choice_values_match_their_wire_names() {
        for style in ClientAuthStyle::ALL {
            assert_eq!(serde_json::to_value(style).unwrap(), style.key());
            assert_eq!(ClientAuthStyle::from_key(style.key()), Some(style));
        }
        for method in SignatureMethod::ALL {
            assert_eq!(serde_json::to_value(method).unwrap(), method.name());
            assert_eq!(SignatureMethod::from_name(method.name()), Some(method));
        }
        assert_eq!(ClientAuthStyle::from_key("Basic"), None);
        assert_eq!(SignatureMethod::from_name("PLAINTEXT"), None);
    }

    #[test]
    fn an_empty_choice_is_the_first_one_and_other_fields_keep_their_value() {
        let mut def: FieldDef = serde_json::from_str(
            r#"{"key":"client_auth","label":"client authentication","placement":{"in":"auth"},
                "choices":[{"value":"basic_header","label":"basic header"},{"value":"request_body","label":"in the request body"}]}"#,
        )
        .unwrap();
        assert_eq!(def.chosen(""), "basic_header");
        assert_eq!(def.chosen("request_body"), "request_body");
        def.choices.clear();
        assert_eq!(def.chosen(""), "");
    }

    #[test]
    fn only_authorisation_code_needs_a_user_step() {
        let needing: Vec<_> = [
            AuthKind::Basic,
            AuthKind::Token,
            AuthKind::Oauth2ClientCredentials,
            AuthKind::Oauth2AuthorisationCode,
            AuthKind::Oauth1,
        ]
        .into_iter()
        .filter(|k| k.needs_user_step())
        .collect();
        assert_eq!(needing, vec![AuthKind::Oauth2AuthorisationCode]);
    }
}
