//! What a draft changes: every field that differs from the saved settings,
//! in page order, and whether the changes touch the connection or where
//! credentials go.

use super::instance_draft::{CertificateDraft, DraftField, InstanceDraft};
use super::secrets::{saved_plain, stored_secret};
use crate::field_key::Section;
use crate::InstanceSettings;

/// A field whose draft value differs from the saved one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedField {
    pub section: Section,
    /// The field's label, as the page shows it.
    pub label: String,
    /// Whether the change affects how the connection is made.
    pub connection: bool,
    /// Whether the change affects where credentials are sent.
    pub destination: bool,
}

/// Every field of `draft` that differs from `saved`, in page order.
pub fn changed_fields(saved: &InstanceSettings, draft: &InstanceDraft) -> Vec<ChangedField> {
    let definition = &saved.connector.definition;
    let mut changed = vec![];
    let mut push = |section, label: &str, connection, destination| {
        changed.push(ChangedField {
            section,
            label: label.to_owned(),
            connection,
            destination,
        })
    };
    let (old, new) = (&saved.details, &draft.details);
    if old.name != new.name {
        push(Section::Details, "name", false, false);
    }
    if old.time_zone != new.time_zone {
        push(Section::Details, "time zone", false, false);
    }
    if old.date_format != new.date_format {
        push(Section::Details, "date format", false, false);
    }
    if old.rate_limit != new.rate_limit {
        push(Section::Details, "rate limit", false, false);
    }
    if old.connection_pool != new.connection_pool {
        push(Section::Details, "connection pool", false, false);
    }
    for def in &definition.variables {
        let before = old
            .variables
            .get(&def.key)
            .map(String::as_str)
            .unwrap_or("");
        let after = new
            .variables
            .get(&def.key)
            .map(String::as_str)
            .unwrap_or("");
        if before != after {
            push(Section::Details, &def.label, true, def.is_destination());
        }
    }

    let method_changed = saved.authentication.method != draft.authentication.method;
    if method_changed {
        push(Section::Authentication, "authentication method", true, true);
    }
    if let Some(method) = definition.auth_method(&draft.authentication.method) {
        for def in &method.fields {
            let field = draft.authentication.fields.get(&def.key);
            let differs = if def.secret {
                match field {
                    None | Some(DraftField::Keep) => false,
                    Some(DraftField::Clear) => !method_changed && stored_secret(saved, &def.key),
                    Some(DraftField::Replace { .. }) | Some(DraftField::Plain { .. }) => true,
                }
            } else {
                let value = match field {
                    Some(DraftField::Plain { value }) => value.as_str(),
                    _ => "",
                };
                // A choice left empty is its first choice: choosing that
                // one explicitly changes nothing.
                method_changed || def.chosen(value) != def.chosen(saved_plain(saved, &def.key))
            };
            // A method change already names the method; its fields' values
            // only count when there is one to compare with.
            if differs && !(method_changed && field_is_empty(field)) {
                push(
                    Section::Authentication,
                    &def.label,
                    true,
                    def.is_destination(),
                );
            }
        }
    }

    let stored = saved.certificate.stored();
    let (client_changes, ca_changes) = match &draft.certificate {
        CertificateDraft::Keep => (false, false),
        CertificateDraft::Remove => (
            stored.is_some_and(|s| s.client.is_some()),
            stored.is_some_and(|s| s.ca.is_some()),
        ),
        CertificateDraft::RemoveCa => (false, stored.is_some_and(|s| s.ca.is_some())),
        CertificateDraft::Upload(upload) => (
            upload.identity.is_some() || stored.is_some_and(|s| s.client.is_some()),
            upload.identity.is_none() || stored.is_some_and(|s| s.ca.is_some()),
        ),
    };
    if client_changes {
        push(Section::Certificates, "client certificate", true, false);
    }
    if ca_changes && !client_changes {
        push(Section::Certificates, "trusted CA certificate", true, false);
    }
    changed
}

fn field_is_empty(field: Option<&DraftField>) -> bool {
    match field {
        None | Some(DraftField::Keep) | Some(DraftField::Clear) => true,
        Some(DraftField::Plain { value }) | Some(DraftField::Replace { value }) => value.is_empty(),
    }
}

/// Whether saving `draft` needs proof of a passing connection test.
pub fn changes_connection(saved: &InstanceSettings, draft: &InstanceDraft) -> bool {
    changed_fields(saved, draft).iter().any(|c| c.connection)
}

/// Whether `draft` sends credentials somewhere else than the saved settings
/// do. Such a draft may not use a stored secret: the user enters it again.
pub fn changes_destination(saved: &InstanceSettings, draft: &InstanceDraft) -> bool {
    changed_fields(saved, draft).iter().any(|c| c.destination)
}

