//! Where a field key shows on the page: its tab, and the element ids of its
//! control and of its error message.

use conduit_types::field_key::{FieldKey, Section};

use crate::tabs::SettingsTab;

/// Which part of the page an error key belongs to.
pub fn section_of(field: &str) -> Section {
    FieldKey::parse(field).section()
}

/// The tab that shows a section.
pub fn tab_of(section: Section) -> SettingsTab {
    match section {
        Section::Details => SettingsTab::Details,
        Section::Authentication => SettingsTab::Authentication,
        Section::Certificates => SettingsTab::Certificates,
    }
}

/// The element id of the control for an error key, e.g. `field-variables-store`.
pub fn field_id(field: &str) -> String {
    let mut id = String::from("field-");
    id.extend(field.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

/// The element id of the error message under a field.
pub fn error_id(field: &str) -> String {
    field_id(field) + "-error"
}

#[cfg(test)]
mod tests;
