//! Tests of saving and where a save's answer goes.

use conduit_types::ErrorCode;

use crate::api::ApiError;
use crate::editor::test_support::*;
use crate::editor::{Activity, Block, Editor, SecretChoice};

#[test]
fn a_details_only_change_saves_without_a_test() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    assert!(editor.is_dirty());
    assert_eq!(editor.gate(), Ok(()));
    let request = editor.begin_save().expect("save goes ahead");
    assert_eq!(request.base_version, 3);
    assert_eq!(request.receipt, None);
    assert_eq!(request.draft.details.name, "Shopify - GB");
    assert_eq!(editor.gate(), Err(Block::Saving));
}

#[test]
fn test_required_locks_save_until_a_new_pass() {
    let mut editor = replacing_token("t");
    pass(&mut editor);
    editor.begin_save().unwrap();
    editor.finish_save(Err(server_error(
        422,
        ErrorCode::TestRequired,
        "The connection test has expired: test instance connection again.",
        &[],
    )));
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    assert_eq!(
        editor.test_required(),
        Some("The connection test has expired: test instance connection again.")
    );
    pass(&mut editor);
    assert_eq!(editor.test_required(), None);
    assert_eq!(editor.gate(), Ok(()));
}

#[test]
fn a_successful_save_starts_over_from_the_saved_settings() {
    let mut editor = replacing_token("t");
    pass(&mut editor);
    editor.begin_save().unwrap();
    let mut new = saved();
    new.version = 4;
    editor.finish_save(Ok(new));
    assert!(editor.saved_notice());
    assert!(!editor.is_dirty());
    assert_eq!(editor.saved().version, 4);
    assert_eq!(editor.last_test(), None);
    assert_eq!(editor.activity(), &Activity::Idle);
    // The passed test belonged to the old draft.
    editor.set_secret_choice("token", SecretChoice::Replace);
    editor.set_secret_value("token", "t".into());
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    assert!(!editor.saved_notice(), "an edit ends the announcement");
}

#[test]
fn other_save_failures_are_a_sentence_by_the_button() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.begin_save().unwrap();
    editor.finish_save(Err(ApiError::Unreachable));
    assert_eq!(
        editor.problem(),
        Some("The server could not be reached. Check your connection and try again.")
    );
    assert_eq!(editor.gate(), Ok(()), "saving can be tried again");
}

#[test]
fn an_edit_ends_the_saved_notice_but_not_the_need_for_a_test() {
    let mut editor = replacing_token("t");
    pass(&mut editor);
    editor.begin_save().unwrap();
    let expired = "The connection test has expired: test instance connection again.";
    editor.finish_save(Err(server_error(422, ErrorCode::TestRequired, expired, &[])));
    editor.set_name("Shopify - GB".into());
    assert_eq!(editor.test_required(), Some(expired));
    assert_eq!(editor.problem(), None);
    assert!(!editor.saved_notice());
}
