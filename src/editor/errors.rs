//! Error placement: every problem with the draft in page order (the form's
//! own, the shared validation, the server's), which of them show now, and
//! where an error answer from the server goes (its fields, or a conflict).

use conduit_types::draft::{self, DraftField, FieldKey, FIELD_RATE_LIMIT, RATE_LIMIT_NOT_A_NUMBER};
use conduit_types::{ErrorCode, FieldError};

use super::state::{Conflict, Editor, Notice};
use crate::api::ApiError;

impl Editor {
    /// Every problem with the draft, in page order: the form's own (text
    /// that is not a value), the shared validation, and the server's
    /// complaints (which win for their field until it is edited).
    pub fn errors(&self) -> Vec<FieldError> {
        // `validate` answers in page order; the rest is put in its place.
        let mut errors = draft::validate(&self.saved, &self.draft);
        if self.secrets_held {
            // The server holds the values this draft replaced them with.
            errors.retain(|e| !self.is_replaced_secret(&e.field));
        }
        let mut put = |field: &str, message: &str| match errors.iter_mut().find(|e| e.field == field) {
            Some(error) => message.clone_into(&mut error.message),
            None => {
                let order = FieldKey::parse(field).page_order();
                let at = errors
                    .iter()
                    .position(|e| FieldKey::parse(&e.field).page_order() > order)
                    .unwrap_or(errors.len());
                errors.insert(
                    at,
                    FieldError {
                        field: field.to_owned(),
                        message: message.to_owned(),
                    },
                );
            }
        };
        if self.rate_limit_bad {
            put(FIELD_RATE_LIMIT, RATE_LIMIT_NOT_A_NUMBER);
        }
        for error in &self.server_errors {
            put(&error.field, &error.message);
        }
        errors
    }

    /// The errors shown now: the server's, those of fields the user has
    /// edited, every one after a test or save was attempted, and a kept
    /// secret that can no longer be kept (another field made it so).
    pub fn visible_errors(&self) -> Vec<FieldError> {
        self.errors()
            .into_iter()
            .filter(|e| {
                self.attempted
                    || self.touched.contains(&e.field)
                    || self.server_errors.iter().any(|s| s.field == e.field)
                    || self.keeps_stored_secret(&e.field)
            })
            .collect()
    }

    /// The draft field of an authentication error key.
    fn auth_draft_field(&self, field: &str) -> Option<&DraftField> {
        match FieldKey::parse(field) {
            FieldKey::AuthField(key) => self.draft.authentication.fields.get(&key),
            _ => None,
        }
    }

    fn is_replaced_secret(&self, field: &str) -> bool {
        matches!(self.auth_draft_field(field), Some(DraftField::Replace { .. }))
    }

    fn keeps_stored_secret(&self, field: &str) -> bool {
        let FieldKey::AuthField(key) = FieldKey::parse(field) else {
            return false;
        };
        self.secret_stored(&key) && self.auth_draft_field(field).is_some_and(DraftField::keeps)
    }

    /// Field errors and conflicts from an answer; `true` if it had either.
    pub(super) fn take_error(&mut self, error: &ApiError) -> bool {
        let ApiError::Server { body, .. } = error else {
            return false;
        };
        match body.code {
            ErrorCode::Validation => {
                self.attempted = true;
                self.server_errors.clone_from(&body.fields);
                true
            }
            ErrorCode::Conflict => {
                let (sentence, changed) = match &body.conflict {
                    Some(info) => (
                        crate::conflict::sentence(&info.saved_by, info.saved_at, info.by_you),
                        info.changed.clone(),
                    ),
                    None => (body.message.clone(), vec![]),
                };
                let conflict = Conflict { sentence, changed, reapply: false, reload_problem: None };
                self.notice = Some(Notice::Conflict(conflict));
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
