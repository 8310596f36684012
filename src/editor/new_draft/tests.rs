//! Tests of a new instance's draft in the editor: it always needs a test,
//! it is unchanged where it started, and discard goes back there.

use conduit_types::create::{blank_settings, duplicate_draft, new_draft, NewInstanceDraft};
use conduit_types::draft::{DraftField, FIELD_NAME};

use crate::editor::test_support::*;
use crate::editor::{Block, Editor};

fn blank_editor() -> Editor {
    let settings = blank_settings(saved().connector, vec![]);
    let draft = new_draft(&settings);
    Editor::for_new(NewInstanceDraft { settings, draft, copy_of: None, certificate: None }, false)
}

fn duplicate_editor() -> Editor {
    let settings = blank_settings(saved().connector, vec![]);
    let draft = duplicate_draft(&saved(), "Shopify - UK (copy)".into(), None);
    Editor::for_new(NewInstanceDraft { settings, draft, copy_of: Some("Shopify - UK".into()), certificate: None }, true)
}

#[test]
fn a_blank_draft_is_not_dirty_until_edited_and_asks_for_its_fields_only_once_tried() {
    let mut editor = blank_editor();
    assert!(editor.is_new());
    assert!(!editor.is_dirty());
    assert!(visible(&editor).is_empty(), "nothing shows before the user tries");
    assert!(editor.tab_marks().iter().all(|m| !m.unsaved), "nothing edited yet");
    editor.set_name("Shopify - DE".into());
    assert!(editor.is_dirty());
    let marks = editor.tab_marks();
    assert!(marks[0].unsaved && !marks[1].unsaved && !marks[2].unsaved, "only the edited tab is marked");
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert!(editor.begin_test(1).is_none(), "the token and store are missing");
    let shown = visible(&editor);
    assert!(shown.contains(&"authentication.token".to_owned()) && !shown.contains(&FIELD_NAME.to_owned()), "{shown:?}");
}

#[test]
fn a_new_draft_saves_only_after_a_passing_test_with_its_receipt() {
    let mut editor = blank_editor();
    editor.set_name("Shopify - DE".into());
    editor.set_variable("store", "acme-de".into());
    editor.set_secret_value("token", "shpat-1".into());
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    pass(&mut editor);
    assert_eq!(editor.gate(), Ok(()));
    let request = editor.begin_save().expect("save goes ahead");
    assert_eq!(request.receipt.as_deref(), Some("receipt-1"));
    assert_eq!(request.draft.details.name, "Shopify - DE");
    assert_eq!(
        request.draft.authentication.fields.get("token"),
        Some(&DraftField::Replace { value: "shpat-1".into() })
    );
}

#[test]
fn a_duplicate_shows_the_secret_it_needs_at_once() {
    let editor = duplicate_editor();
    assert!(!editor.is_dirty(), "a copy as made has nothing unsaved to lose");
    assert_eq!(visible(&editor), ["authentication.token"]);
    assert_eq!(editor.draft().details.name, "Shopify - UK (copy)");
    assert_eq!(editor.rate_limit_text(), "60", "the copied rate limit shows in its field");
    assert!(!editor.secret_stored("token"));
}

#[test]
fn discarding_a_new_draft_goes_back_to_where_it_started() {
    let mut editor = duplicate_editor();
    editor.set_name("Something else".into());
    editor.set_secret_value("token", "shpat-2".into());
    assert!(editor.is_dirty());
    editor.discard();
    assert!(editor.is_new());
    assert!(!editor.is_dirty());
    assert_eq!(editor.draft().details.name, "Shopify - UK (copy)");
    assert_eq!(editor.draft().authentication.fields.get("token"), Some(&DraftField::Keep));
}
