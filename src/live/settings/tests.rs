//! Tests of what live events mean for an open `instance settings` page.

use super::*;

const NOW: Timestamp = 1_800_000_000;

fn page() -> Page {
    Page { instance: 7, me: Some(2), version: 3, status: InstanceStatus::Operational, dirty: false, saving: false, testing: false }
}

fn event(kind: InstanceEventKind) -> InstanceEvent {
    InstanceEvent {
        instance: 7,
        name: "Orders API".into(),
        kind,
        status: Some(InstanceStatus::Operational),
        version: Some(4),
        actor: "Ada Lovelace".into(),
        by: Some(1),
        automatic: false,
        at: NOW - 2,
        changed: vec!["name".into()],
    }
}

#[test]
fn a_save_by_someone_else_reloads_an_unedited_page_and_says_who_saved() {
    assert_eq!(
        change(&event(InstanceEventKind::Saved), &page(), NOW),
        Change::Reload { sentence: "Ada Lovelace saved this instance a moment ago. The page shows the saved settings.".into() }
    );
}

#[test]
fn a_save_while_the_user_has_edits_is_a_conflict_naming_what_it_changed() {
    let edited = Page { dirty: true, ..page() };
    match change(&event(InstanceEventKind::Saved), &edited, NOW) {
        Change::Conflict { sentence, changed } => {
            assert_eq!(sentence, "Ada Lovelace saved this instance a moment ago. Saving your edits now would conflict with that save.");
            assert_eq!(changed, vec!["name".to_string()]);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn a_save_the_page_already_has_or_is_making_itself_changes_nothing() {
    let mut own = event(InstanceEventKind::Saved);
    own.version = Some(3);
    assert_eq!(change(&own, &page(), NOW), Change::Nothing);
    let saving = Page { saving: true, dirty: true, ..page() };
    assert_eq!(change(&event(InstanceEventKind::Saved), &saving, NOW), Change::Nothing);
    let mut other = event(InstanceEventKind::Saved);
    other.instance = 8;
    assert_eq!(change(&other, &page(), NOW), Change::Nothing);
}

#[test]
fn the_users_own_save_in_another_window_is_theirs() {
    let mine = Page { me: Some(1), ..page() };
    let Change::Reload { sentence } = change(&event(InstanceEventKind::Saved), &mine, NOW) else { panic!() };
    assert!(sentence.starts_with("You saved this instance in another window a moment ago."), "{sentence}");
}

#[test]
fn an_older_save_says_how_long_ago() {
    let mut late = event(InstanceEventKind::Saved);
    late.at = NOW - 180;
    let Change::Reload { sentence } = change(&late, &page(), NOW) else { panic!() };
    assert!(sentence.starts_with("Ada Lovelace saved this instance 3 minutes ago."), "{sentence}");
}

#[test]
fn a_test_reloads_the_history_and_a_status_moves_the_header() {
    assert_eq!(change(&event(InstanceEventKind::Tested), &page(), NOW), Change::History);
    let mut failed = event(InstanceEventKind::Status);
    failed.status = Some(InstanceStatus::FailedAuthentication);
    assert_eq!(
        change(&failed, &page(), NOW),
        Change::Status {
            status: InstanceStatus::FailedAuthentication,
            tested_at: Some(NOW - 2),
            checked_at: None,
            sentence: Some("Ada Lovelace's test found this instance failed authentication.".into()),
        }
    );
    failed.automatic = true;
    let Change::Status { checked_at, sentence, .. } = change(&failed, &page(), NOW) else { panic!() };
    assert_eq!(checked_at, Some(NOW - 2));
    assert_eq!(sentence.as_deref(), Some("The automatic check found this instance failed authentication."));
    // The same status again only moves the time.
    let same = event(InstanceEventKind::Status);
    let Change::Status { sentence, .. } = change(&same, &page(), NOW) else { panic!() };
    assert_eq!(sentence, None);
}

#[test]
fn a_deletion_says_who_deleted_it() {
    assert_eq!(
        change(&event(InstanceEventKind::Deleted), &page(), NOW),
        Change::Deleted { sentence: "Ada Lovelace deleted this instance a moment ago.".into() }
    );
}

#[test]
fn the_status_the_pages_own_test_found_moves_the_header_without_a_sentence() {
    let testing = Page { me: Some(1), testing: true, ..page() };
    let mut failed = event(InstanceEventKind::Status);
    failed.status = Some(InstanceStatus::Unreachable);
    let Change::Status { status, sentence, .. } = change(&failed, &testing, NOW) else { panic!() };
    assert_eq!((status, sentence), (InstanceStatus::Unreachable, None));
}
