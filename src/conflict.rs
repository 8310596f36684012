//! When the instance was saved elsewhere while the user edited it: which of
//! the user's edits touch the fields that save changed, and the user's
//! draft rebuilt on the new version with their edits re-applied.
//!
//! Plain Rust, tested without a browser. The server names the fields the
//! other saves changed (`ConflictInfo::changed`, labels as
//! [`changed_fields`] gives them), so a replaced secret or certificate,
//! which the settings cannot show, still counts.

use conduit_types::draft::{changed_fields, CertificateDraft, InstanceDraft, Section};
use conduit_types::{InstanceSettings, Timestamp};

use crate::text;

/// The label [`changed_fields`] gives a change of authentication method.
const METHOD: &str = "authentication method";

/// Who saved in between, as a sentence: "you" when it was the user
/// themselves, in another tab or window.
pub fn sentence(saved_by: &str, saved_at: Timestamp, by_you: bool) -> String {
    if by_you {
        format!(
            "You saved this elsewhere (in another tab or window) at {}, after this draft was started.",
            text::clock_time(saved_at)
        )
    } else {
        text::conflict_sentence(saved_by, saved_at)
    }
}

/// The labels of the fields `mine` changed from `base` that the other saves
/// (`theirs_changed`) changed too. A change of method on their side clashes
/// with every authentication edit of mine.
pub fn clashes(base: &InstanceSettings, mine: &InstanceDraft, theirs_changed: &[String]) -> Vec<String> {
    let their_method = theirs_changed.iter().any(|l| l == METHOD);
    changed_fields(base, mine)
        .into_iter()
        .filter(|c| theirs_changed.contains(&c.label) || (their_method && c.section == Section::Authentication))
        .map(|c| c.label)
        .collect()
}

/// What the user's edits to the settings `base` make of `theirs`, the
/// version saved since: every field the user changed takes the user's
/// value (their replaced secrets stay replaced, their upload stays), every
/// other field keeps the new version's. When either side changed the
/// authentication method, the user's authentication is kept whole if they
/// edited it at all.
pub fn rebase(base: &InstanceSettings, mine: &InstanceDraft, theirs: &InstanceSettings) -> InstanceDraft {
    let old = InstanceDraft::from_settings(base);
    let mut out = InstanceDraft::from_settings(theirs);
    let (o, m, d) = (&old.details, &mine.details, &mut out.details);
    if o.name != m.name {
        d.name.clone_from(&m.name);
    }
    if o.time_zone != m.time_zone {
        d.time_zone.clone_from(&m.time_zone);
    }
    if o.date_format != m.date_format {
        d.date_format.clone_from(&m.date_format);
    }
    if o.rate_limit != m.rate_limit {
        d.rate_limit = m.rate_limit;
    }
    if o.connection_pool != m.connection_pool {
        d.connection_pool.clone_from(&m.connection_pool);
    }
    for key in o.variables.keys().chain(m.variables.keys()) {
        match m.variables.get(key) {
            after if after == o.variables.get(key) => {}
            Some(value) => _ = d.variables.insert(key.clone(), value.clone()),
            None => _ = d.variables.remove(key),
        }
    }

    let (o, m) = (&old.authentication, &mine.authentication);
    if o.method != m.method || theirs.authentication.method != base.authentication.method {
        if o != m {
            out.authentication = m.clone();
        }
    } else {
        for (key, field) in &m.fields {
            if o.fields.get(key) != Some(field) {
                out.authentication.fields.insert(key.clone(), field.clone());
            }
        }
    }
    if mine.certificate != CertificateDraft::Keep {
        out.certificate = mine.certificate.clone();
    }
    out
}

#[cfg(test)]
mod tests;
