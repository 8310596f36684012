//! Tests of error placement: when errors show, and the server's until their field is edited.

use conduit_types::ErrorCode;

use crate::editor::test_support::*;
use crate::editor::{Activity, Block, Editor};

#[test]
fn errors_show_once_touched_or_after_an_attempt() {
    let mut editor = Editor::new(saved());
    editor.choose_method("oauth_app");
    // The new method's empty fields are wrong, but the user has not got
    // to them yet: the fields wait, the list by the buttons has them.
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert_eq!(visible(&editor), Vec::<String>::new());
    let listed: Vec<String> = editor.problems().into_iter().map(|e| e.field).collect();
    assert_eq!(
        listed,
        ["authentication.client_id", "authentication.client_secret"]
    );
    assert!(editor.tab_marks()[1].errors);
    editor.set_plain("client_id", String::new());
    assert_eq!(visible(&editor), ["authentication.client_id"]);
    editor.attempt_save().unwrap_err();
    assert_eq!(
        visible(&editor),
        ["authentication.client_id", "authentication.client_secret"]
    );
}

#[test]
fn a_kept_secret_that_a_new_address_makes_unusable_shows_at_once() {
    let mut editor = Editor::new(saved());
    editor.set_variable("store", "elsewhere".into());
    assert_eq!(visible(&editor), ["authentication.token"]);
    let marks = editor.tab_marks();
    assert!(marks[0].unsaved && !marks[0].errors);
    assert!(!marks[1].unsaved && marks[1].errors);
}

#[test]
fn server_field_errors_show_until_their_field_is_edited() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.begin_save().unwrap();
    editor.finish_save(Err(server_error(
        422,
        ErrorCode::Validation,
        "Some fields need attention.",
        &[
            ("name", "Another instance already has this name."),
            ("variables.store", "No store answers at this name."),
        ],
    )));
    assert_eq!(editor.activity(), &Activity::Idle);
    let errors = editor.visible_errors();
    assert_eq!(errors[0].message, "Another instance already has this name.");
    assert_eq!(errors[1].field, "variables.store");
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert!(editor.tab_marks()[0].errors);

    editor.set_name("Shopify - Great Britain".into());
    assert_eq!(visible(&editor), ["variables.store"]);
    editor.set_variable("store", "acme-uk".into());
    assert_eq!(visible(&editor), Vec::<String>::new());
    assert_eq!(editor.gate(), Ok(()));
}
