//! The connection test engine behind `test instance connection`.
//!
//! From a connector definition and an instance's settings it builds the test
//! request (base URL template, variables), applies the authentication method,
//! sends it through the egress policy and judges the answer by the connector's
//! expected statuses. The result is classified step by step, in sentences a
//! person understands, and never holds the third party's body or a secret.
//!
//! An index: [`run`] is the engine, [`request`] the test request,
//! [`auth_header`] and [`token`] the authentication, [`transport`] and
//! [`tls`] the wire, [`stop`] and [`fix`] what a failure says.

mod auth_header;
pub mod fix;
pub mod oauth;
mod request;
mod run;
mod steps;
mod stop;
pub mod tls;
mod token;
pub mod transport;

pub use crate::credentials::{ClientIdentity, FieldValues, OAuthTokens, TestInput, TlsMaterial};
pub use run::{Engine, EngineConfig, EngineError, TestRun};
pub use token::CodeGrant;
