//! Authorising with the provider (OAuth 2 authorisation code): starting it,
//! following it to its end, cancelling it, and picking it up again after a
//! full-page redirect. While it runs it is [`Activity::Authorising`]; how it
//! ended is [`Authorising`].

use conduit_types::draft::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseRequest, AuthoriseStart, FIELD_AUTHORISATION,
};
use conduit_types::InstanceStatus;

use super::state::{Activity, Authorising, Editor};
use crate::api::ApiError;

/// Why there is no connection test for a method that needs the user to
/// authorise at the provider.
pub const NO_TEST_NOTE: &str = "This instance uses OAuth 2 (authorisation code): its credentials \
     are checked when you authorise with the provider, so there is no connection test.";

/// Said when the provider's window was closed (or authorising cancelled)
/// before it finished.
pub const AUTHORISING_CANCELLED: &str = "Authorising was cancelled before the provider answered: nothing was saved.";

impl Editor {
    /// The completed authorisation of exactly this draft's connection.
    pub(super) fn authorisation(&self) -> Option<&str> {
        match &self.authorising {
            Some(Authorising::Authorised { id, draft, .. }) if draft.connection() == self.draft.connection() => {
                Some(id)
            }
            _ => None,
        }
    }

    /// `reconnect` when the saved method already holds tokens, else `authorise`.
    pub fn authorise_label(&self) -> &'static str {
        let same_method = self.saved.authentication.method == self.draft.authentication.method;
        if same_method && self.saved.authentication.authorised_at.is_some() {
            "reconnect"
        } else {
            "authorise"
        }
    }

    /// Whether the saved instance needs authorising again (its refresh failed).
    pub fn needs_reconnecting(&self) -> bool {
        self.saved.status == InstanceStatus::NeedsReconnecting
    }

    /// `authorise`: the request that starts authorising this draft, or
    /// `None` (busy, a method that is tested instead, or fields to fix,
    /// which now show).
    pub fn begin_authorise(&mut self, mode: AuthoriseMode) -> Option<AuthoriseRequest> {
        if self.activity != Activity::Idle || self.can_test() {
            return None;
        }
        self.attempted = true;
        self.quiet();
        if !self.errors().is_empty() {
            return None;
        }
        self.activity = Activity::Authorising { id: None, draft: Box::new(self.draft.clone()) };
        self.authorising = None;
        self.consent_link = None;
        Some(AuthoriseRequest {
            base_version: self.saved.version,
            draft: self.draft.clone(),
            mode,
        })
    }

    /// The browser blocked the provider's window and the page cannot go
    /// there itself (it is embedded): the user opens `url` by hand.
    pub fn open_consent_by_hand(&mut self, url: String) {
        if matches!(self.activity, Activity::Authorising { .. }) {
            self.consent_link = Some(url);
        }
    }

    /// The consent page to open by hand, while authorising waits for it.
    pub fn consent_link(&self) -> Option<&str> {
        match self.activity {
            Activity::Authorising { .. } => self.consent_link.as_deref(),
            _ => None,
        }
    }

    /// The server's answer to starting: the consent page's address to
    /// open, or `None` when it refused (the reason now shows).
    pub fn authorise_started(&mut self, answer: Result<AuthoriseStart, ApiError>) -> Option<String> {
        let Activity::Authorising { id, .. } = &mut self.activity else {
            return None;
        };
        match answer {
            Ok(start) => {
                *id = Some(start.authorisation);
                Some(start.url)
            }
            Err(error) => {
                self.activity = Activity::Idle;
                let sentence = error.to_string();
                self.authorising = (!self.take_error(&error)).then_some(Authorising::Failed(sentence));
                None
            }
        }
    }

    /// The authorisation being waited for, once the server has started it.
    pub fn waiting_for(&self) -> Option<&str> {
        match &self.activity {
            Activity::Authorising { id, .. } => id.as_deref(),
            _ => None,
        }
    }

    /// What `GET /api/authorisations/{id}` said about authorisation `id`.
    /// Returns whether it is still pending (keep asking).
    pub fn authorisation_update(&mut self, id: &str, answer: Result<AuthorisationStatus, ApiError>) -> bool {
        if self.waiting_for() != Some(id) {
            return false;
        }
        let outcome = match answer.map(|status| status.state) {
            Ok(AuthorisationState::Pending) => return true,
            Ok(AuthorisationState::Authorised { expires_at, granted_scope }) => Ok((expires_at, granted_scope)),
            Ok(AuthorisationState::Failed { message }) => Err(message),
            Err(error) => Err(error.to_string()),
        };
        let Activity::Authorising { draft, .. } = std::mem::replace(&mut self.activity, Activity::Idle) else {
            return false;
        };
        self.authorising = Some(match outcome {
            Ok((expires_at, granted)) => {
                self.server_errors.retain(|e| e.field != FIELD_AUTHORISATION);
                Authorising::Authorised { id: id.to_owned(), draft: *draft, expires_at, granted }
            }
            Err(message) => Authorising::Failed(message),
        });
        false
    }

    /// The provider's window was closed, or `cancel` was pressed, before
    /// the provider answered. Returns the authorisation to drop on the server.
    pub fn abandon_authorising(&mut self) -> Option<String> {
        if !matches!(self.activity, Activity::Authorising { .. }) {
            return None;
        }
        let Activity::Authorising { id, .. } = std::mem::replace(&mut self.activity, Activity::Idle) else {
            return None;
        };
        self.authorising = Some(Authorising::Failed(AUTHORISING_CANCELLED.to_owned()));
        id
    }

    /// Back from a full-page authorisation: the draft it authorised becomes
    /// the page's draft again, with what the provider said.
    pub fn restore_authorisation(&mut self, id: &str, status: AuthorisationStatus) {
        if status.base_version != self.saved.version || self.activity != Activity::Idle {
            return;
        }
        self.draft = status.draft.clone();
        self.secrets_held = true;
        self.activity = Activity::Authorising { id: Some(id.to_owned()), draft: Box::new(status.draft.clone()) };
        let state = match status.state {
            // The provider sends the user back only once it has answered.
            AuthorisationState::Pending => AuthorisationState::Failed { message: AUTHORISING_CANCELLED.to_owned() },
            state => state,
        };
        self.authorisation_update(id, Ok(AuthorisationStatus { state, ..status }));
    }
}

#[cfg(test)]
mod tests;
