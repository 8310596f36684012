//! Tests of the field setters: the rate limit's text and the choices for a stored secret.

use conduit_types::draft::{DraftField, FIELD_RATE_LIMIT};
use conduit_types::{RateLimit, RateLimitUnit};

use crate::editor::test_support::*;
use crate::editor::{Block, Editor, SecretChoice, RATE_LIMIT_NOT_A_NUMBER};

#[test]
fn rate_limit_problems_are_sentences_at_the_field() {
    let message = |editor: &Editor| {
        editor
            .visible_errors()
            .into_iter()
            .find(|e| e.field == FIELD_RATE_LIMIT)
            .map(|e| e.message)
    };
    let mut editor = Editor::new(saved());

    editor.set_rate_limit_text(String::new());
    assert_eq!(editor.draft().details.rate_limit, None);
    assert_eq!(message(&editor), None);
    assert_eq!(editor.gate(), Ok(()), "no limit is a valid change");

    editor.set_rate_limit_text("0".into());
    let zero = message(&editor).expect("0 is refused");
    assert!(zero.contains("from 1 to 1000000"), "{zero}");
    assert!(zero.ends_with('.'));

    editor.set_rate_limit_text("abc".into());
    assert_eq!(message(&editor).as_deref(), Some(RATE_LIMIT_NOT_A_NUMBER));
    assert_eq!(editor.gate(), Err(Block::Invalid));
    // The form's own error takes its place in page order.
    editor.set_name(String::new());
    editor.set_connection_pool("elsewhere".into());
    assert_eq!(visible(&editor), ["name", "rate_limit", "connection_pool"]);
    editor.set_name("Shopify - UK".into());
    editor.set_connection_pool(String::new());

    // Letters typed after a number stay in the box, block save, and do
    // not turn into "no rate limit": the draft keeps its last value.
    editor.set_rate_limit_text("12".into());
    editor.set_rate_limit_text("12a".into());
    assert_eq!(editor.rate_limit_text(), "12a");
    assert_eq!(message(&editor).as_deref(), Some(RATE_LIMIT_NOT_A_NUMBER));
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert_eq!(
        editor.draft().details.rate_limit.map(|l| l.amount),
        Some(12)
    );

    editor.set_rate_limit_text("5000000000".into());
    let large = message(&editor).expect("too large is refused");
    assert!(large.contains("from 1 to 1000000"), "{large}");

    editor.set_rate_limit_text("120".into());
    editor.set_rate_limit_unit(RateLimitUnit::Hour);
    assert_eq!(message(&editor), None);
    assert_eq!(
        editor.draft().details.rate_limit,
        Some(RateLimit {
            amount: 120,
            unit: RateLimitUnit::Hour
        })
    );
}

#[test]
fn bad_rate_limit_text_alone_counts_as_an_unsaved_edit() {
    let mut settings = saved();
    settings.details.rate_limit = None;
    let mut editor = Editor::new(settings);
    editor.set_rate_limit_text("x".into());
    assert!(editor.is_dirty());
    assert_eq!(editor.gate(), Err(Block::Invalid));
    assert!(editor.tab_marks()[0].unsaved);
}

#[test]
fn secrets_offer_keep_replace_clear_only_when_stored() {
    let mut editor = Editor::new(saved());
    assert!(editor.secret_stored("token"));
    assert_eq!(editor.secret_choice("token"), SecretChoice::Keep);
    editor.set_secret_choice("token", SecretChoice::Replace);
    editor.set_secret_value("token", "abc".into());
    // Choosing replace again keeps what was typed.
    editor.set_secret_choice("token", SecretChoice::Replace);
    assert_eq!(editor.auth_value("token"), "abc");
    editor.set_secret_choice("token", SecretChoice::Clear);
    assert_eq!(
        visible(&editor),
        ["authentication.token"],
        "a required secret"
    );

    // Another method's secrets are not stored: a plain box, empty means unset.
    editor.choose_method("oauth_app");
    assert!(!editor.secret_stored("client_secret"));
    editor.set_secret_value("client_secret", "s".into());
    editor.set_secret_value("client_secret", String::new());
    assert_eq!(
        editor.draft().authentication.fields["client_secret"],
        DraftField::Clear
    );

    let mut editor = Editor::new(saved_without_token());
    assert!(!editor.secret_stored("token"));
    editor.set_secret_value("token", "t".into());
    editor.set_secret_value("token", String::new());
    assert!(!editor.is_dirty());
}
