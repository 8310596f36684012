//! Tests of what live events from other windows do to the editor.

use conduit_types::InstanceStatus;

use crate::editor::test_support::*;
use crate::editor::{Block, Editor};

#[test]
fn a_save_elsewhere_while_editing_is_the_conflict_before_the_user_saves() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    editor.saved_elsewhere("Ada Lovelace saved this instance a moment ago.".into(), &["name".into()]);
    assert_eq!(editor.conflict(), Some("Ada Lovelace saved this instance a moment ago."));
    assert_eq!(editor.gate(), Err(Block::Conflict));
    assert_eq!(editor.conflict_clashes(), vec!["name".to_string()]);
    assert!(editor.is_dirty(), "the edits stay");
    // A second save adds what it changed.
    editor.saved_elsewhere("Grace Hopper saved this instance a moment ago.".into(), &["time zone".into(), "name".into()]);
    assert_eq!(editor.conflict(), Some("Grace Hopper saved this instance a moment ago."));
    assert_eq!(editor.conflict_clashes(), vec!["name".to_string()]);
}

#[test]
fn a_status_found_elsewhere_moves_the_header_and_leaves_the_draft() {
    let mut editor = Editor::new(saved());
    editor.set_name("Shopify - GB".into());
    let draft = editor.draft().clone();
    editor.status_elsewhere(InstanceStatus::Unreachable, None, Some(1_800_000_000));
    assert_eq!(editor.saved().status, InstanceStatus::Unreachable);
    assert_eq!(editor.saved().last_checked_at, Some(1_800_000_000));
    assert_eq!(editor.draft(), &draft);
    assert!(editor.is_dirty());
}
