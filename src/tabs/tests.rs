//! Tests of the settings tabs' slugs, labels and keyboard moves.

use super::*;

#[test]
fn every_tab_reads_back_from_its_own_slug() {
    for tab in SettingsTab::ALL {
        assert_eq!(SettingsTab::from_slug(tab.slug()), Some(tab));
    }
}

#[test]
fn slugs_and_labels_use_the_product_wording() {
    let slugs: Vec<_> = SettingsTab::ALL.iter().map(|t| t.slug()).collect();
    let labels: Vec<_> = SettingsTab::ALL.iter().map(|t| t.label()).collect();
    assert_eq!(slugs, ["details", "authentication", "certificates"]);
    assert_eq!(
        labels,
        ["instance details", "authentication", "certificates"]
    );
}

#[test]
fn unknown_or_differently_cased_slugs_name_no_tab() {
    for slug in ["", "Details", "instance details", "certificate", "details/"] {
        assert_eq!(SettingsTab::from_slug(slug), None, "{slug:?}");
    }
}

#[test]
fn index_follows_the_display_order() {
    assert_eq!(SettingsTab::Details.index(), 0);
    assert_eq!(SettingsTab::Authentication.index(), 1);
    assert_eq!(SettingsTab::Certificates.index(), 2);
}

#[test]
fn tab_marks_become_words_after_the_label() {
    let mark = |unsaved, errors| TabMark { unsaved, errors }.suffix();
    assert_eq!(mark(false, false), "");
    assert_eq!(mark(true, false), " (unsaved changes)");
    assert_eq!(mark(false, true), " (fields to fix)");
    assert_eq!(mark(true, true), " (unsaved changes, fields to fix)");
}

#[test]
fn arrows_home_and_end_are_the_only_keys_that_move() {
    assert_eq!(TabMove::from_key("ArrowRight"), Some(TabMove::Next));
    assert_eq!(TabMove::from_key("ArrowLeft"), Some(TabMove::Previous));
    assert_eq!(TabMove::from_key("Home"), Some(TabMove::First));
    assert_eq!(TabMove::from_key("End"), Some(TabMove::Last));
    for key in ["Tab", "Enter", " ", "ArrowUp", "ArrowDown", "a"] {
        assert_eq!(TabMove::from_key(key), None, "{key:?}");
    }
}

#[test]
fn next_and_previous_step_one_and_wrap_at_the_ends() {
    assert_eq!(TabMove::Next.apply(0, 3), 1);
    assert_eq!(TabMove::Next.apply(1, 3), 2);
    assert_eq!(TabMove::Next.apply(2, 3), 0);
    assert_eq!(TabMove::Previous.apply(2, 3), 1);
    assert_eq!(TabMove::Previous.apply(1, 3), 0);
    assert_eq!(TabMove::Previous.apply(0, 3), 2);
}

#[test]
fn home_and_end_go_to_the_first_and_last_tab() {
    for current in 0..3 {
        assert_eq!(TabMove::First.apply(current, 3), 0);
        assert_eq!(TabMove::Last.apply(current, 3), 2);
    }
}

#[test]
fn moves_are_safe_on_degenerate_lists() {
    for mv in [
        TabMove::Next,
        TabMove::Previous,
        TabMove::First,
        TabMove::Last,
    ] {
        assert_eq!(mv.apply(0, 0), 0);
        assert_eq!(mv.apply(0, 1), 0);
    }
    // An out-of-range current index is treated as the last tab.
    assert_eq!(TabMove::Next.apply(9, 3), 0);
}
