//! Tests of how a row on `manage connectors` follows live events.

use conduit_types::{AuthKind, InstanceStatus};

use super::*;

fn row() -> InstanceSummary {
    InstanceSummary {
        id: 7,
        name: "Orders API".into(),
        auth_kind: AuthKind::Token,
        auth_method_label: "bearer token".into(),
        status: InstanceStatus::NotTested,
        last_tested_at: Some(100),
        last_checked_at: None,
        process_flow_count: 2,
        certificate_not_after: None,
    }
}

fn event(instance: i64, kind: InstanceEventKind, status: Option<InstanceStatus>) -> InstanceEvent {
    InstanceEvent {
        instance,
        name: "Orders API (EU)".into(),
        kind,
        status,
        version: Some(4),
        actor: "Ada Lovelace".into(),
        by: Some(1),
        automatic: false,
        at: 500,
        changed: vec![],
    }
}

#[test]
fn another_instances_event_leaves_the_row_alone() {
    let event = event(8, InstanceEventKind::Deleted, None);
    assert_eq!(patch(row(), &event), Some(row()));
}

#[test]
fn a_save_brings_the_new_name_and_status() {
    let patched = patch(row(), &event(7, InstanceEventKind::Saved, Some(InstanceStatus::Operational))).unwrap();
    assert_eq!((patched.name.as_str(), patched.status), ("Orders API (EU)", InstanceStatus::Operational));
    assert_eq!(patched.last_tested_at, Some(100));
}

#[test]
fn a_status_moves_the_badge_and_the_time_of_the_test_or_the_check() {
    let by_test = patch(row(), &event(7, InstanceEventKind::Status, Some(InstanceStatus::FailedAuthentication))).unwrap();
    assert_eq!((by_test.status, by_test.last_tested_at, by_test.last_checked_at), (InstanceStatus::FailedAuthentication, Some(500), None));
    let mut automatic = event(7, InstanceEventKind::Status, Some(InstanceStatus::Unreachable));
    automatic.automatic = true;
    let checked = patch(row(), &automatic).unwrap();
    assert_eq!((checked.status, checked.last_tested_at, checked.last_checked_at), (InstanceStatus::Unreachable, Some(100), Some(500)));
    assert_eq!(checked.name, "Orders API", "a status does not rename");
}

#[test]
fn a_deletion_removes_the_row() {
    assert_eq!(patch(row(), &event(7, InstanceEventKind::Deleted, None)), None);
}

#[test]
fn an_instance_added_or_removed_elsewhere_reloads_the_list_and_other_events_do_not() {
    for (kind, reloads) in [
        (InstanceEventKind::Created, true),
        (InstanceEventKind::Deleted, true),
        (InstanceEventKind::Saved, false),
        (InstanceEventKind::Tested, false),
        (InstanceEventKind::Status, false),
    ] {
        assert_eq!(reloads_list(&event(9, kind, None)), reloads, "{kind:?}");
    }
}
