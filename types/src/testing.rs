//! `test instance connection`: how a connection test ended, step by step.

use serde::{Deserialize, Serialize};
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
/// [`crate::FieldError::field`], e.g. `authentication.password`), its label as the
/// page shows it, and a short sentence on what to check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldToFix {
    pub field: String,
    pub label: String,
    pub message: String,
}
