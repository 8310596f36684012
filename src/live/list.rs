//! What an instance event does to its row on `manage connectors`: a save
//! brings the new name and status, a status its badge and when it was
//! tested or checked, a deletion removes the row. Plain Rust.

use conduit_types::{InstanceEvent, InstanceEventKind, InstanceSummary, Timestamp};

/// When a status event says the connection was tried: `(tested, checked)`,
/// by a person's test or by the background checker.
pub fn tried_at(event: &InstanceEvent) -> (Option<Timestamp>, Option<Timestamp>) {
    match (event.kind, event.automatic) {
        (InstanceEventKind::Status, false) => (Some(event.at), None),
        (InstanceEventKind::Status, true) => (None, Some(event.at)),
        _ => (None, None),
    }
}

/// The row after `event` (`None`: the instance is gone). Another
/// instance's event leaves it as it is.
pub fn patch(row: InstanceSummary, event: &InstanceEvent) -> Option<InstanceSummary> {
    if event.instance != row.id {
        return Some(row);
    }
    let mut row = row;
    match event.kind {
        InstanceEventKind::Deleted => return None,
        InstanceEventKind::Saved => row.name.clone_from(&event.name),
        InstanceEventKind::Created | InstanceEventKind::Tested => {}
        InstanceEventKind::Status => {
            let (tested, checked) = tried_at(event);
            row.last_tested_at = tested.or(row.last_tested_at);
            row.last_checked_at = checked.or(row.last_checked_at);
        }
    }
    if let Some(status) = event.status {
        row.status = status;
    }
    Some(row)
}

/// Whether `event` changes which rows the list holds, not just one row's
/// look: an instance was added or removed, so the cards' counts and pages
/// are loaded afresh.
pub fn reloads_list(event: &InstanceEvent) -> bool {
    matches!(event.kind, InstanceEventKind::Created | InstanceEventKind::Deleted)
}

#[cfg(test)]
mod tests;
