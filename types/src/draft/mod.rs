//! Drafts of an instance's settings, and the rules both sides apply to them.
//!
//! The dashboard edits one [`InstanceDraft`] for the whole `instance settings`
//! page; the server tests and saves exactly that draft. The rules here
//! (validation, what counts as a change to the connection, when kept secrets
//! must be entered again, which fields changed) are the same code on both
//! sides: the browser uses them to guide, the server to enforce.
//!
//! This module is an index: the draft in `instance_draft`, the requests and
//! answers about it in `requests`, limits in `limits`, which stored secrets
//! a draft may keep in `secrets`, what it changes in `changes`, and
//! validation in `validate`. Field keys are [`crate::field_key`].

mod changes;
mod instance_draft;
mod limits;
mod requests;
mod secrets;
mod validate;

#[cfg(test)]
mod tests;

pub use crate::field_key::{
    auth_field, variable_field, CertificatePart, FieldKey, Section, FIELD_AUTHORISATION, FIELD_AUTH_METHOD,
    FIELD_CERTIFICATE, FIELD_CERT_CA, FIELD_CERT_PASSPHRASE, FIELD_CERT_PKCS12, FIELD_CERT_PRIVATE_KEY,
    FIELD_CONNECTION_POOL, FIELD_DATE_FORMAT, FIELD_NAME, FIELD_RATE_LIMIT, FIELD_TIME_ZONE, FIELD_VARIABLES,
};
pub use changes::{changed_fields, changes_connection, changes_destination, ChangedField};
pub use instance_draft::{
    CertificateDraft, CertificateUpload, ConnectionDraft, DraftAuthentication, DraftField, IdentityUpload,
    InstanceDraft,
};
pub use limits::{
    parse_rate_limit, RateLimitInput, DATE_FORMATS, NAME_MAX_CHARS, RATE_LIMIT_MAX, RATE_LIMIT_NOT_A_NUMBER,
    VALUE_MAX_CHARS,
};
pub use requests::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseRequest, AuthoriseStart, HistoryEntry,
    HistoryEvent, InstanceHistory, SaveRequest, TestDraftRequest, TestDraftResponse, TestReceipt,
};
pub use secrets::keepable_secret;
pub use validate::{reenter_message, validate, UNKNOWN_AUTH_FIELDS, UNKNOWN_VARIABLES};
