//! Field setters: every edit the user makes to the draft's details and
//! authentication, and what an edit does to the page's state (the field
//! counts as touched, the server's complaint about it goes).

use conduit_types::draft::{DraftField, FieldKey, RateLimitInput};
use conduit_types::draft::{auth_field, parse_rate_limit, variable_field};
use conduit_types::draft::{FIELD_AUTH_METHOD, FIELD_CONNECTION_POOL, FIELD_DATE_FORMAT, FIELD_NAME};
use conduit_types::draft::{FIELD_RATE_LIMIT, FIELD_TIME_ZONE};
use conduit_types::{RateLimit, RateLimitUnit};

use super::state::Editor;

/// What the user chose for a stored secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretChoice {
    Keep,
    Replace,
    Clear,
}

impl SecretChoice {
    pub const ALL: [SecretChoice; 3] = [SecretChoice::Keep, SecretChoice::Replace, SecretChoice::Clear];

    pub fn label(self) -> &'static str {
        match self {
            SecretChoice::Keep => "keep the stored value",
            SecretChoice::Replace => "replace",
            SecretChoice::Clear => "clear",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            SecretChoice::Keep => "keep",
            SecretChoice::Replace => "replace",
            SecretChoice::Clear => "clear",
        }
    }
}

impl Editor {
    /// What the draft does with secret field `key`.
    pub fn secret_choice(&self, key: &str) -> SecretChoice {
        match self.draft.authentication.fields.get(key) {
            Some(DraftField::Replace { .. }) => SecretChoice::Replace,
            Some(DraftField::Clear) => SecretChoice::Clear,
            _ => SecretChoice::Keep,
        }
    }

    /// The user edited `field` (an error key).
    pub(super) fn edited(&mut self, field: &str) {
        let key = FieldKey::parse(field);
        if key.is_authentication() || key.is_variable() {
            // A value the user enters now is theirs to send again.
            self.secrets_held = false;
        }
        if !self.touched.iter().any(|t| t == field) {
            self.touched.push(field.to_owned());
        }
        self.server_errors.retain(|e| e.field != field);
        self.quiet();
    }

    pub fn set_name(&mut self, name: String) {
        self.draft.details.name = name;
        self.edited(FIELD_NAME);
    }

    pub fn set_time_zone(&mut self, zone: String) {
        self.draft.details.time_zone = zone;
        self.edited(FIELD_TIME_ZONE);
    }

    pub fn set_date_format(&mut self, format: String) {
        self.draft.details.date_format = format;
        self.edited(FIELD_DATE_FORMAT);
    }

    /// The rate limit's text changed. The text is kept as typed, whatever
    /// it is; only a whole number (or nothing) becomes the draft's value.
    pub fn set_rate_limit_text(&mut self, text: String) {
        let input = parse_rate_limit(&text);
        self.rate_limit_text = text;
        self.rate_limit_bad = input == RateLimitInput::NotANumber;
        match input {
            RateLimitInput::NoLimit => self.draft.details.rate_limit = None,
            RateLimitInput::Amount(amount) => {
                self.draft.details.rate_limit = Some(RateLimit {
                    amount,
                    unit: self.rate_limit_unit,
                })
            }
            RateLimitInput::NotANumber => {}
        }
        self.edited(FIELD_RATE_LIMIT);
    }

    pub fn set_rate_limit_unit(&mut self, unit: RateLimitUnit) {
        self.rate_limit_unit = unit;
        if let Some(limit) = &mut self.draft.details.rate_limit {
            limit.unit = unit;
        }
        self.edited(FIELD_RATE_LIMIT);
    }

    /// `""` is no pool.
    pub fn set_connection_pool(&mut self, pool: String) {
        self.draft.details.connection_pool = (!pool.is_empty()).then_some(pool);
        self.edited(FIELD_CONNECTION_POOL);
    }

    /// An emptied variable leaves the draft (the rules read a missing one as
    /// empty), so putting a value back as it was gives the same connection.
    pub fn set_variable(&mut self, key: &str, value: String) {
        if value.is_empty() {
            self.draft.details.variables.remove(key);
        } else {
            self.draft.details.variables.insert(key.to_owned(), value);
        }
        self.edited(&variable_field(key));
    }

    /// Switches the authentication method (its fields start over).
    pub fn choose_method(&mut self, method: &str) {
        self.draft.choose_method(&self.saved, method);
        let is_auth = |key: &str| FieldKey::parse(key).is_authentication();
        self.touched.retain(|key| !is_auth(key));
        self.server_errors.retain(|e| !is_auth(&e.field));
        self.edited(FIELD_AUTH_METHOD);
    }

    pub fn set_plain(&mut self, key: &str, value: String) {
        self.draft
            .authentication
            .fields
            .insert(key.to_owned(), DraftField::Plain { value });
        self.edited(&auth_field(key));
    }

    /// Keep, replace or clear a stored secret. Choosing `replace` starts an
    /// empty new value and waits for the user to type before complaining.
    pub fn set_secret_choice(&mut self, key: &str, choice: SecretChoice) {
        let field = match choice {
            SecretChoice::Keep => DraftField::Keep,
            SecretChoice::Clear => DraftField::Clear,
            SecretChoice::Replace => DraftField::Replace {
                value: String::new(),
            },
        };
        let fields = &mut self.draft.authentication.fields;
        if choice == SecretChoice::Replace
            && matches!(fields.get(key), Some(DraftField::Replace { .. }))
        {
            return;
        }
        fields.insert(key.to_owned(), field);
        let field = auth_field(key);
        if choice == SecretChoice::Replace {
            self.server_errors.retain(|e| e.field != field);
            self.touched.retain(|t| *t != field);
            self.end_saved_notice();
        } else {
            self.edited(&field);
        }
    }

    /// The new value of a secret. Without a stored value, emptying the box
    /// leaves the secret unset.
    pub fn set_secret_value(&mut self, key: &str, value: String) {
        let field = if !value.is_empty() || self.secret_stored(key) {
            DraftField::Replace { value }
        } else if self.saved.authentication.method == self.draft.authentication.method {
            DraftField::Keep
        } else {
            DraftField::Clear
        };
        self.draft
            .authentication
            .fields
            .insert(key.to_owned(), field);
        self.edited(&auth_field(key));
    }
}

#[cfg(test)]
mod tests;
