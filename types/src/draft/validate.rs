//! Validation: what a draft must be before it can be tested or saved, each
//! problem a sentence at its field's key.

use super::changes::changes_destination;
use super::instance_draft::{DraftField, InstanceDraft};
use super::limits::{DATE_FORMATS, NAME_MAX_CHARS, RATE_LIMIT_MAX, VALUE_MAX_CHARS};
use super::secrets::keepable_secret;
use crate::field_key::{
    auth_field, variable_field, FIELD_AUTH_METHOD, FIELD_CONNECTION_POOL, FIELD_DATE_FORMAT, FIELD_NAME,
    FIELD_RATE_LIMIT, FIELD_TIME_ZONE, FIELD_VARIABLES,
};
use crate::{FieldDef, FieldError, FieldKind, InstanceSettings};

/// A draft named settings the connector does not define (never repeated).
pub const UNKNOWN_VARIABLES: &str =
    "These settings include some this connector does not have. Reload the page and try again.";
/// A draft named fields the authentication method does not define; said at
/// the method, which the dashboard shows.
pub const UNKNOWN_AUTH_FIELDS: &str =
    "These settings include fields this authentication method does not have. Reload the page and try again.";


/// The sentence shown at a kept secret when the draft sends credentials to
/// a new address.
pub fn reenter_message(label: &str) -> String {
    format!(
        "Enter the {label} again: these settings send credentials to a different address, \
         so the stored value cannot be used."
    )
}

/// Checks a draft against the connector's definition and the company's
/// choices. An empty list means the draft can be tested and saved.
pub fn validate(saved: &InstanceSettings, draft: &InstanceDraft) -> Vec<FieldError> {
    let definition = &saved.connector.definition;
    let mut errors = vec![];
    let mut error = |field: String, message: String| errors.push(FieldError { field, message });
    let d = &draft.details;

    let name = d.name.trim();
    if name.is_empty() {
        error(FIELD_NAME.into(), "Enter a name for this instance.".into());
    } else if d.name.chars().count() > NAME_MAX_CHARS {
        error(
            FIELD_NAME.into(),
            format!("Use at most {NAME_MAX_CHARS} characters for the name."),
        );
    } else if d.name.chars().any(char::is_control) {
        error(
            FIELD_NAME.into(),
            "The name cannot contain line breaks or tabs.".into(),
        );
    }
    if crate::time_zones::TIME_ZONES
        .binary_search(&d.time_zone.as_str())
        .is_err()
    {
        error(
            FIELD_TIME_ZONE.into(),
            "Choose a time zone from the list, e.g. Europe/London.".into(),
        );
    }
    if !DATE_FORMATS.iter().any(|(f, _)| *f == d.date_format) {
        error(
            FIELD_DATE_FORMAT.into(),
            "Choose a date format from the list.".into(),
        );
    }
    if let Some(limit) = d.rate_limit {
        if limit.amount == 0 || limit.amount > RATE_LIMIT_MAX {
            error(
                FIELD_RATE_LIMIT.into(),
                format!("Enter a whole number of requests from 1 to {RATE_LIMIT_MAX}, or remove the rate limit."),
            );
        }
    }
    if let Some(pool) = &d.connection_pool {
        if !saved.connection_pools.iter().any(|p| p == pool) {
            error(
                FIELD_CONNECTION_POOL.into(),
                "Choose one of your company's connection pools, or none.".into(),
            );
        }
    }
    // Keys the connector does not define are named generically, once: the
    // request's own text is never repeated, and the dashboard only ever
    // sends keys it read from the definition.
    if any_undefined(d.variables.keys(), &definition.variables) {
        error(FIELD_VARIABLES.into(), UNKNOWN_VARIABLES.into());
    }
    for def in &definition.variables {
        let value = d.variables.get(&def.key).map(String::as_str).unwrap_or("");
        if let Some(message) = check_value(def, value) {
            error(variable_field(&def.key), message);
        }
    }

    let auth = &draft.authentication;
    let Some(method) = definition.auth_method(&auth.method) else {
        error(
            FIELD_AUTH_METHOD.into(),
            "Choose one of the authentication methods this connector offers.".into(),
        );
        return errors;
    };
    let destination = changes_destination(saved, draft);
    if any_undefined(auth.fields.keys(), &method.fields) {
        error(FIELD_AUTH_METHOD.into(), UNKNOWN_AUTH_FIELDS.into());
    }
    for def in &method.fields {
        let field = auth.fields.get(&def.key);
        let message = match (def.secret, field) {
            (false, Some(DraftField::Plain { value })) => check_value(def, value),
            (false, None) => check_value(def, ""),
            (false, Some(_)) => Some(format!("Enter the {} as text.", def.label)),
            (true, Some(DraftField::Plain { .. })) => Some(format!(
                "The {} is secret: replace, keep or clear it.",
                def.label
            )),
            (true, Some(DraftField::Replace { value })) => {
                if value.is_empty() {
                    Some(format!(
                        "Enter the new {}, or keep the stored one.",
                        def.label
                    ))
                } else if value.chars().count() > VALUE_MAX_CHARS {
                    Some(format!(
                        "The {} is too long: use at most {VALUE_MAX_CHARS} characters.",
                        def.label
                    ))
                } else {
                    None
                }
            }
            (true, None | Some(DraftField::Keep)) => {
                let stored = keepable_secret(saved, draft, &def.key);
                if stored && destination {
                    Some(reenter_message(&def.label))
                } else if !stored && def.required {
                    Some(format!("Enter the {}.", def.label))
                } else {
                    None
                }
            }
            (true, Some(DraftField::Clear)) => def
                .required
                .then(|| format!("Enter the {}: this method needs it.", def.label)),
        };
        if let Some(message) = message {
            error(auth_field(&def.key), message);
        }
    }
    errors
}

/// Whether one of `keys` is a key none of `defs` defines.
fn any_undefined<'a>(mut keys: impl Iterator<Item = &'a String>, defs: &[FieldDef]) -> bool {
    keys.any(|key| !defs.iter().any(|def| &def.key == key))
}

/// Checks one text value of a variable or plain authentication field.
fn check_value(def: &FieldDef, value: &str) -> Option<String> {
    if !def.choices.is_empty() {
        let value = def.chosen(value);
        return (!def.choices.iter().any(|c| c.value == value))
            .then(|| format!("Choose the {} from the list.", def.label));
    }
    if value.trim().is_empty() {
        return def.required.then(|| format!("Enter the {}.", def.label));
    }
    if value.chars().count() > VALUE_MAX_CHARS {
        return Some(format!(
            "The {} is too long: use at most {VALUE_MAX_CHARS} characters.",
            def.label
        ));
    }
    if value.chars().any(char::is_control) {
        return Some(format!(
            "The {} cannot contain line breaks or tabs.",
            def.label
        ));
    }
    if def.is_destination() && value.chars().any(char::is_whitespace) {
        return Some(format!("The {} cannot contain spaces.", def.label));
    }
    if def.kind == FieldKind::Url {
        return crate::address::url_problem(&def.label, value, &[]);
    }
    None
}
