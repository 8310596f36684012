//! The company's API keys as listed: a created key goes on top, a revoked
//! one comes off, and where focus goes once it has.

use conduit_types::developer::ApiKeySummary;
use conduit_types::Id;

use crate::api::ApiError;

/// The element id of the `API keys` heading.
pub const KEYS_HEADING_ID: &str = "api-keys-heading";

/// The element id of a key's `revoke` button.
pub fn revoke_id(id: Id) -> String {
    format!("revoke-key-{id}")
}

/// Where focus goes after a key is revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevokeFocus {
    /// The `revoke` button of the key that took its place (or the one before).
    Key(Id),
    /// No key is left: the list's heading.
    Heading,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyList {
    keys: Vec<ApiKeySummary>,
    revoking: Option<Id>,
    problem: Option<String>,
}

impl KeyList {
    pub fn new(keys: Vec<ApiKeySummary>) -> Self {
        KeyList { keys, ..KeyList::default() }
    }

    pub fn keys(&self) -> &[ApiKeySummary] {
        &self.keys
    }

    /// A key just created: newest first.
    pub fn add(&mut self, key: ApiKeySummary) {
        self.keys.insert(0, key);
    }

    /// Starts revoking `id`; `false` while another revoke is in flight.
    pub fn start_revoke(&mut self, id: Id) -> bool {
        if self.revoking.is_some() {
            return false;
        }
        self.revoking = Some(id);
        self.problem = None;
        true
    }

    pub fn revoking(&self) -> Option<Id> {
        self.revoking
    }

    /// The server revoked `id`: it leaves the list.
    pub fn revoked(&mut self, id: Id) -> RevokeFocus {
        self.revoking = None;
        let Some(at) = self.keys.iter().position(|k| k.id == id) else { return RevokeFocus::Heading };
        self.keys.remove(at);
        match self.keys.get(at).or_else(|| at.checked_sub(1).and_then(|i| self.keys.get(i))) {
            Some(next) => RevokeFocus::Key(next.id),
            None => RevokeFocus::Heading,
        }
    }

    /// Revoking failed: the key stays, and the reason is said.
    pub fn revoke_failed(&mut self, error: &ApiError) {
        self.revoking = None;
        self.problem = Some(error.to_string());
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

/// When a key was last used, e.g. "12 Mar 2026, 09:05 UTC", or "never used".
pub fn last_used(key: &ApiKeySummary) -> String {
    key.last_used_at.map_or_else(|| "never used".to_string(), crate::text::date_time)
}

#[cfg(test)]
mod tests;
