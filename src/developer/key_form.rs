//! The `create API key` form: the name as typed, the error shown at it, and
//! the key just created, whose secret is shown this once.

use conduit_types::developer::{key_name, CreatedApiKey, NewApiKey, FIELD_KEY_NAME};

use crate::api::ApiError;

/// The element id of the `key name` field (its error is `{id}-error`).
pub const KEY_NAME_ID: &str = "api-key-name";
/// The element id of the read-only field showing a new key's secret.
pub const SECRET_ID: &str = "api-key-secret";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyForm {
    name: String,
    /// The name's own problems show once creating was tried, then as typed.
    checked: bool,
    /// The server's complaint about the name, until it is edited.
    refused: Option<String>,
    /// A failure that is not about the name, as a sentence.
    problem: Option<String>,
    creating: bool,
    created: Option<CreatedApiKey>,
}

impl KeyForm {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn edit(&mut self, name: String) {
        self.name = name;
        self.refused = None;
    }

    /// The error shown at the `key name` field, if any.
    pub fn name_error(&self) -> Option<String> {
        self.refused.clone().or_else(|| self.checked.then(|| name_problem(&self.name)).flatten())
    }

    /// The request to send, when the name is fine and nothing is in flight;
    /// the key shown before is hidden from then on.
    pub fn submit(&mut self) -> Option<NewApiKey> {
        if self.creating {
            return None;
        }
        self.checked = true;
        self.problem = None;
        if self.name_error().is_some() {
            return None;
        }
        self.creating = true;
        self.created = None;
        Some(NewApiKey { name: self.name.trim().to_string() })
    }

    /// The server created the key: the form empties and the key (with its
    /// secret) is shown.
    pub fn created(&mut self, created: CreatedApiKey) {
        *self = KeyForm { created: Some(created), ..KeyForm::default() };
    }

    /// The server refused or could not be reached: the name stays as typed;
    /// whether the error is at the field (`true`) or about the whole form.
    pub fn failed(&mut self, error: &ApiError) -> bool {
        self.creating = false;
        match error.field_message(FIELD_KEY_NAME) {
            Some(message) => {
                self.refused = Some(message.to_string());
                true
            }
            None => {
                self.problem = Some(error.to_string());
                false
            }
        }
    }

    /// A key was revoked: if it is the one just created, its secret goes.
    pub fn forget(&mut self, id: conduit_types::Id) {
        if self.created.as_ref().is_some_and(|c| c.key.id == id) {
            self.created = None;
        }
    }

    pub fn creating(&self) -> bool {
        self.creating
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The key just created, with its secret.
    pub fn shown(&self) -> Option<&CreatedApiKey> {
        self.created.as_ref()
    }
}

/// What is wrong with a key name, as a sentence (the rule the server
/// applies, `conduit_types::developer::key_name`); `None` when it will do.
pub fn name_problem(name: &str) -> Option<String> {
    key_name(name).err().map(|error| error.message)
}

#[cfg(test)]
mod tests;
