//! Which stored secrets a draft may keep: a stored value belongs to the
//! saved method, and only a draft that still uses it can keep it.

use super::instance_draft::InstanceDraft;
use crate::{AuthFieldValue, InstanceSettings};

/// Whether secret field `key` has a stored value that `draft` could keep:
/// the saved settings hold one and the draft still uses their method.
pub fn keepable_secret(saved: &InstanceSettings, draft: &InstanceDraft, key: &str) -> bool {
    saved.authentication.method == draft.authentication.method && stored_secret(saved, key)
}

/// Whether the saved settings hold a value for secret field `key`.
pub(super) fn stored_secret(saved: &InstanceSettings, key: &str) -> bool {
    matches!(
        saved.authentication.fields.get(key),
        Some(AuthFieldValue::Secret { is_set: true })
    )
}

pub(super) fn saved_plain<'a>(saved: &'a InstanceSettings, key: &str) -> &'a str {
    match saved.authentication.fields.get(key) {
        Some(AuthFieldValue::Plain { value }) => value,
        _ => "",
    }
}
