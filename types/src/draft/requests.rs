//! Requests and answers about drafts: testing, saving and authorising one,
//! and the instance's history of saves and tests.

use serde::{Deserialize, Serialize};

use super::instance_draft::InstanceDraft;
use crate::{Id, TestOutcome, TestResult, Timestamp};

/// `POST /api/instances/{id}/test`: test a draft; nothing is saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDraftRequest {
    /// The version of the instance the draft started from.
    pub base_version: i64,
    pub draft: InstanceDraft,
}

/// Proof, signed by the server, that a draft's connection passed a test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestReceipt {
    /// Opaque to the browser; handed back with the save.
    pub token: String,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDraftResponse {
    pub result: TestResult,
    /// Present when the test passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<TestReceipt>,
    /// The instance's status after this test: present when the draft's
    /// connection was the saved one, so the test also told how the saved
    /// instance is doing (and recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::InstanceStatus>,
}

/// `PUT /api/instances/{id}`: save a draft. Answers with the saved
/// [`InstanceSettings`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveRequest {
    pub base_version: i64,
    pub draft: InstanceDraft,
    /// `TestReceipt::token` of a passing test of this draft; needed when the
    /// draft changes the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// `AuthoriseStart::authorisation` of a completed authorisation of this
    /// draft: needed instead of a receipt when the draft's method
    /// authorises with the provider and the draft changes the connection
    /// (or the instance is being reconnected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorisation: Option<String>,
}

/// How the dashboard shows the provider's consent page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthoriseMode {
    /// In a popup window; the callback page closes itself.
    Popup,
    /// In the same tab (popups were blocked); the callback sends the user
    /// back to the instance's settings page with `?authorisation=<id>`.
    Redirect,
}

/// `POST /api/instances/{id}/authorise`: start authorising a draft with the
/// provider (OAuth 2 authorisation code). Nothing is saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoriseRequest {
    pub base_version: i64,
    pub draft: InstanceDraft,
    pub mode: AuthoriseMode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoriseStart {
    /// Names this authorisation in `GET`/`DELETE /api/authorisations/{id}`
    /// and in the save request.
    pub authorisation: String,
    /// The provider's consent page, with `state` and the PKCE challenge.
    pub url: String,
}

/// Where an authorisation has got to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AuthorisationState {
    /// Waiting for the user at the provider's consent page.
    Pending,
    /// The provider gave tokens, and they were checked with a connection
    /// test; save to keep them. Nothing is saved yet.
    Authorised {
        expires_at: Timestamp,
        /// The scopes the provider says it granted (its token answer's
        /// `scope`), when it says.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        granted_scope: Option<String>,
    },
    /// Consent was denied or cancelled, or the provider refused the code:
    /// nothing was saved. The message says why, as a sentence.
    Failed { message: String },
}

/// `GET /api/authorisations/{id}`: only the user who started it sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationStatus {
    pub instance_id: Id,
    pub base_version: i64,
    pub state: AuthorisationState,
    /// The draft that was authorised, with secret values left out (replaced
    /// secrets come back as `Replace` with an empty value): after a
    /// full-page redirect, the page restores the user's edits from it. A
    /// save naming this authorisation takes the secrets from the server's
    /// copy.
    pub draft: InstanceDraft,
}

/// `GET /api/instances/{id}/history`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceHistory {
    pub entries: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: Id,
    pub at: Timestamp,
    /// The name of the user who did it.
    pub user: String,
    pub event: HistoryEvent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// Settings were saved, making `version`. `changed` holds field labels
    /// only, never values.
    Saved { version: i64, changed: Vec<String> },
    /// The instance was created (from a tested or authorised draft),
    /// making its first `version`.
    Created { version: i64 },
    /// A draft (saved or not) was tested.
    Tested {
        outcome: TestOutcome,
        message: String,
    },
}
