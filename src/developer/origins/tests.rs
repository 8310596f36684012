use conduit_types::developer::MAX_ORIGINS;
use conduit_types::ErrorCode;

use super::*;
use crate::editor::test_support::server_error;

fn texts(draft: &OriginsDraft) -> Vec<&str> {
    draft.rows().iter().map(|r| r.text.as_str()).collect()
}

fn id(draft: &OriginsDraft, n: usize) -> u32 {
    draft.rows()[n].id
}

#[test]
fn the_saved_origins_load_as_rows_and_are_not_dirty() {
    let draft = OriginsDraft::new(vec!["https://portal.example".into()]);
    assert_eq!(texts(&draft), ["https://portal.example"]);
    assert!(!draft.dirty());
    assert_eq!(draft.first_error(), None);
}

#[test]
fn an_added_row_shows_no_error_until_typed_in_then_as_typed() {
    let mut draft = OriginsDraft::new(vec![]);
    let row = draft.add().unwrap();
    assert!(draft.dirty());
    assert_eq!(draft.error(row), None);
    draft.edit(row, "https://portal.example/app".into());
    assert!(draft.error(row).unwrap().contains("no path"));
    draft.edit(row, "http://portal.example".into());
    assert!(draft.error(row).unwrap().contains("https://"));
    draft.edit(row, "https://portal.example".into());
    assert_eq!(draft.error(row), None);
}

#[test]
fn saving_shows_every_rows_problem_and_sends_nothing_until_all_are_valid() {
    let mut draft = OriginsDraft::new(vec![]);
    let first = draft.add().unwrap();
    let second = draft.add().unwrap();
    draft.edit(second, "https://b.example".into());
    assert_eq!(draft.submit(), None);
    assert!(draft.error(first).unwrap().starts_with("Enter an origin"));
    assert_eq!(draft.first_error(), Some(first));
    draft.edit(first, "HTTPS://A.example:443/".into());
    let sent = draft.submit().unwrap();
    assert_eq!(sent.origins, ["https://a.example", "https://b.example"], "normalised as browsers send it");
    assert!(draft.saving());
    assert_eq!(draft.submit(), None, "not twice while in flight");
}

#[test]
fn a_repeated_origin_is_an_error_at_the_repeat() {
    let mut draft = OriginsDraft::new(vec!["https://a.example".into()]);
    let row = draft.add().unwrap();
    draft.edit(row, "https://A.example/".into());
    assert_eq!(draft.error(id(&draft, 0)), None);
    assert!(draft.error(row).unwrap().contains("already"));
}

#[test]
fn removing_a_row_answers_where_focus_goes() {
    let mut draft = OriginsDraft::new(vec!["https://a.example".into(), "https://b.example".into(), "https://c.example".into()]);
    let (a, b, c) = (id(&draft, 0), id(&draft, 1), id(&draft, 2));
    assert_eq!(draft.remove(b), Some(c));
    assert!(draft.dirty());
    assert_eq!(draft.remove(c), Some(a));
    assert_eq!(draft.remove(a), None);
    assert_eq!(draft.remove(a), None, "an unknown row is no change");
    assert!(draft.rows().is_empty());
}

#[test]
fn the_list_is_full_at_the_limit() {
    let mut draft = OriginsDraft::new(vec![]);
    for _ in 0..MAX_ORIGINS {
        assert!(draft.add().is_some());
    }
    assert!(!draft.can_add());
    assert_eq!(draft.add(), None);
}

#[test]
fn a_normalised_edit_is_no_change() {
    let mut draft = OriginsDraft::new(vec!["https://a.example".into()]);
    let row = id(&draft, 0);
    draft.edit(row, "HTTPS://a.example/".into());
    assert!(!draft.dirty());
    draft.edit(row, "https://b.example".into());
    assert!(draft.dirty());
}

#[test]
fn the_servers_errors_land_at_the_row_they_name_and_nothing_typed_is_lost() {
    let mut draft = OriginsDraft::new(vec![]);
    let a = draft.add().unwrap();
    let b = draft.add().unwrap();
    draft.edit(a, "https://a.example".into());
    draft.edit(b, "https://b.example".into());
    draft.submit().unwrap();
    let error = server_error(422, ErrorCode::Validation, "Check the origins.", &[("origins.1", "This origin is refused.")]);
    assert_eq!(draft.failed(&error), Some(b));
    assert!(!draft.saving());
    assert_eq!(texts(&draft), ["https://a.example", "https://b.example"]);
    assert_eq!(draft.error(a), None);
    assert_eq!(draft.error(b).as_deref(), Some("This origin is refused."));
    assert_eq!(draft.problem(), None);
    draft.edit(b, "https://c.example".into());
    assert_eq!(draft.error(b), None, "editing the row clears the server's complaint");
}

#[test]
fn a_failure_naming_no_row_is_said_for_the_list() {
    let mut draft = OriginsDraft::new(vec![]);
    let a = draft.add().unwrap();
    draft.edit(a, "https://a.example".into());
    draft.submit().unwrap();
    assert_eq!(draft.failed(&crate::api::ApiError::Unreachable), None);
    assert!(draft.problem().is_some());
    assert_eq!(texts(&draft), ["https://a.example"]);
}

#[test]
fn a_saved_list_becomes_the_rows_and_is_announced_until_changed() {
    let mut draft = OriginsDraft::new(vec![]);
    let a = draft.add().unwrap();
    draft.edit(a, "https://a.example/".into());
    draft.submit().unwrap();
    draft.saved(vec!["https://a.example".into()]);
    assert_eq!(texts(&draft), ["https://a.example"]);
    assert!(!draft.dirty());
    assert!(draft.just_saved());
    assert!(!draft.saving());
    draft.add();
    assert!(!draft.just_saved());
}
