//! The one error body every failing API call answers with, and its parts.

use serde::{Deserialize, Serialize};

use crate::scalars::{is_false, Timestamp};
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
    /// Something still uses what the request would remove (e.g. process
    /// flows use an instance being deleted): the body is an `InstanceInUse`.
    InUse,
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's key as the request names it, e.g. `email`.
    pub field: String,
    pub message: String,
}

#[cfg(test)]
mod tests;
