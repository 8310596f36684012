//! Tests of conflicts, reloading the saved settings and discarding.

use conduit_types::draft::{InstanceDraft, FIELD_CERT_CA};
use conduit_types::{ConflictInfo, ErrorCode};

use crate::api::ApiError;
use crate::editor::test_support::*;
use crate::editor::{Block, Editor, SecretChoice};
use crate::tabs::TabMark;

/// A save refused with 409: `saved_by` (perhaps the user, `by_you`) saved
/// version 4 at 14:02 UTC, changing `changed`.
fn conflict(message: &str, saved_by: &str, by_you: bool, changed: &str) -> ApiError {
    let mut error = server_error(409, ErrorCode::Conflict, message, &[]);
    if let ApiError::Server { body, .. } = &mut error {
        body.conflict = Some(ConflictInfo {
            saved_by: saved_by.into(),
            saved_at: 1_773_324_120,
            version: 4,
            by_you,
            changed: vec![changed.into()],
        });
    }
    error
}

#[test]
fn a_conflict_names_who_saved_and_keeps_the_edits() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.begin_save().unwrap();
    editor.finish_save(Err(conflict("Someone else saved.", "Grace Hopper", false, "name")));
    assert_eq!(
        editor.conflict(),
        Some("Grace Hopper saved this instance at 14:02, after you started editing.")
    );
    assert_eq!(editor.draft().details.name, "Shopify - GB");
    assert!(editor.is_dirty());
    assert_eq!(editor.gate(), Err(Block::Conflict));

    let mut theirs = saved();
    theirs.version = 4;
    theirs.details.name = "Shopify - United Kingdom".into();
    editor.reset(theirs);
    assert_eq!(editor.conflict(), None);
    assert!(!editor.is_dirty());
    assert_eq!(editor.saved().version, 4);
    assert_eq!(editor.generation(), 1);
}

#[test]
fn reapplying_after_a_conflict_puts_the_edits_on_the_new_version() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.set_secret_choice("token", SecretChoice::Replace);
    editor.set_secret_value("token", "new-token".into());
    pass(&mut editor);
    editor.begin_save().unwrap();
    editor.finish_save(Err(conflict("You saved this instance elsewhere.", "Ada Lovelace", true, "time zone")));
    assert_eq!(
        editor.conflict(),
        Some("You saved this elsewhere (in another tab or window) at 14:02, after this draft was started.")
    );
    assert_eq!(editor.conflict_clashes(), Vec::<String>::new(), "the edits are to other fields");

    let mut theirs = saved();
    theirs.version = 4;
    theirs.details.time_zone = "Europe/Paris".into();
    editor.want_reapply();
    editor.reloaded(theirs);
    assert_eq!(editor.conflict(), None);
    assert_eq!(editor.saved().version, 4);
    assert_eq!(editor.draft().details.name, "Shopify - GB");
    assert_eq!(editor.draft().details.time_zone, "Europe/Paris");
    assert_eq!(editor.secret_choice("token"), SecretChoice::Replace);
    assert_eq!(editor.auth_value("token"), "new-token");
    // The old pass was for the old version: the token needs a new test.
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    assert_eq!(editor.begin_test(2_000).unwrap().1.base_version, 4);
}

#[test]
fn a_plain_reload_after_a_conflict_drops_the_edits() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.begin_save().unwrap();
    editor.finish_save(Err(server_error(409, ErrorCode::Conflict, "Someone else saved.", &[])));
    let mut theirs = saved();
    theirs.version = 4;
    editor.reloaded(theirs);
    assert_eq!(editor.draft().details.name, "Shopify - UK");
    assert!(!editor.is_dirty());
}

#[test]
fn discard_returns_the_draft_to_the_saved_settings_and_forgets_its_tests() {
    let mut editor = replacing_token("t");
    editor.begin_test(1_000).expect("the test starts");
    assert_eq!(editor.discard(), None, "not while the test runs");
    assert!(editor.is_dirty(), "the edits stay");
    editor.cancel_test();
    pass(&mut editor);
    editor.set_name("".into());
    editor.set_rate_limit_text("lots".into());
    editor.set_certificate_removal(true);
    editor.edit_certificate_form(FIELD_CERT_CA, |form| form.ca_pem = "-----BEGIN".into());
    assert!(editor.tab_marks().iter().all(|m| m.unsaved));
    assert!(!editor.visible_errors().is_empty());

    assert_eq!(editor.discard(), None);
    assert_eq!(editor.draft(), &InstanceDraft::from_settings(editor.saved()));
    assert!(!editor.is_dirty());
    assert_eq!(editor.rate_limit_text(), "60");
    assert_eq!(editor.visible_errors(), vec![]);
    assert_eq!(editor.last_test(), None);
    assert!(editor.certificate_form().is_empty());
    assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
    assert_eq!(editor.gate(), Err(Block::Unchanged));
    assert_eq!(editor.generation(), 1, "the fields start over");
    // The passed test went with the draft.
    editor.set_secret_choice("token", SecretChoice::Replace);
    editor.set_secret_value("token", "t".into());
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
}

#[test]
fn a_failed_reload_after_a_conflict_says_why_and_keeps_the_conflict() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.begin_save().unwrap();
    editor.finish_save(Err(server_error(409, ErrorCode::Conflict, "Someone else saved.", &[])));
    editor.reload_failed(&ApiError::Unreachable);
    assert_eq!(editor.conflict(), Some("Someone else saved."));
    assert_eq!(
        editor.problem(),
        Some("The saved settings could not be loaded. The server could not be reached. Check your connection and try again.")
    );
    assert_eq!(editor.gate(), Err(Block::Conflict));
    // An edit ends the sentence about the reload, not the conflict.
    editor.set_name("Shopify - Great Britain".into());
    assert_eq!(editor.problem(), None);
    assert_eq!(editor.conflict(), Some("Someone else saved."));
    assert_eq!(editor.gate(), Err(Block::Conflict));
}
