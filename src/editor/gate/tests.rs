//! Tests of the save gate: its reasons, the problems it lists and the tab marks.

use conduit_types::draft::CertificateDraft;

use crate::editor::test_support::*;
use crate::editor::{Activity, Block, Editor, SecretChoice};
use crate::tabs::TabMark;

#[test]
fn problems_are_listed_only_while_they_block_save() {
    let mut editor = Editor::new(saved_without_token());
    // Saved without a required token: nothing to save, so nothing listed.
    assert_eq!(editor.gate(), Err(Block::Unchanged));
    assert_eq!(editor.problems(), vec![]);
    assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
    editor.set_name("Shopify - GB".into());
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert_eq!(editor.problems()[0].message, "Enter the token.");
    assert!(editor.tab_marks()[1].errors);
}

#[test]
fn every_reason_is_a_sentence() {
    let reasons = [
        (Block::Testing, "Testing the connection: save once the test has finished."),
        (Block::Saving, "Saving the instance settings…"),
        (
            Block::Conflict,
            "Someone else saved this instance: reload saved settings before saving again.",
        ),
        (Block::Unchanged, "Nothing to save yet: no setting has changed."),
        (Block::Invalid, "Fix the fields marked in red before saving."),
        (
            Block::Authorising,
            "Authorising with the provider: save once it has finished.",
        ),
        (
            Block::NeedsAuthorisation,
            "These changes affect the connection: authorise with the provider, and save once it has authorised.",
        ),
        (
            Block::NeedsTest,
            "These changes affect the connection: test instance connection, and save once the test passes.",
        ),
    ];
    for (block, sentence) in reasons {
        assert_eq!(block.sentence(), sentence);
    }
}

#[test]
fn an_unchanged_draft_has_nothing_to_save() {
    let editor = Editor::new(saved());
    assert!(!editor.is_dirty());
    assert_eq!(editor.gate(), Err(Block::Unchanged));
    assert_eq!(
        Block::Unchanged.sentence(),
        "Nothing to save yet: no setting has changed."
    );
    assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
}

#[test]
fn an_invalid_draft_says_to_fix_the_fields() {
    let mut editor = Editor::new(saved());
    editor.set_name("   ".into());
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert_eq!(
        Block::Invalid.sentence(),
        "Fix the fields marked in red before saving."
    );
    assert_eq!(visible(&editor), ["name"]);
    assert_eq!(editor.begin_save(), None);
}

#[test]
fn busy_states_block_save_with_their_own_sentence() {
    let mut editor = replacing_token("t");
    editor.begin_test(5).unwrap();
    assert_eq!(editor.activity(), &Activity::Testing { started_ms: 5, ticket: 1 });
    assert_eq!(editor.gate(), Err(Block::Testing));
    assert_eq!(editor.begin_test(6), None, "one test at a time");
    assert!(Block::Testing
        .sentence()
        .starts_with("Testing the connection"));
    editor.cancel_test();
    editor.set_name("x".into());
    editor.set_secret_choice("token", SecretChoice::Keep);
    editor.begin_save().unwrap();
    assert_eq!(editor.gate(), Err(Block::Saving));
}

#[test]
fn tabs_are_marked_by_their_own_edits() {
    let mut editor = replacing_token("t");
    let marks = editor.tab_marks();
    assert_eq!(marks.map(|m| m.unsaved), [false, true, false]);
    editor.set_certificate_removal(true);
    assert!(editor.removes_certificate());
    assert_eq!(editor.tab_marks().map(|m| m.unsaved), [false, true, true]);
    editor.set_certificate_removal(false);
    assert_eq!(editor.draft().certificate, CertificateDraft::Keep);
    // The fixture trusts no CA: removing it alone changes nothing.
    editor.set_ca_removal(true);
    assert!(!editor.removes_ca());
    assert_eq!(editor.tab_marks().map(|m| m.unsaved), [false, true, false]);
    editor.set_ca_removal(false);
    editor.set_secret_choice("token", SecretChoice::Keep);
    assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
}
