use conduit_types::developer::{ApiKeySummary, CreatedApiKey, MAX_KEY_NAME};
use conduit_types::ErrorCode;

use super::*;
use crate::editor::test_support::server_error;

fn created(id: i64) -> CreatedApiKey {
    CreatedApiKey {
        key: ApiKeySummary {
            id,
            name: "partner portal".into(),
            prefix: "ck_3fa9c1".into(),
            created_at: 0,
            created_by: "Ada Lovelace".into(),
            last_used_at: None,
        },
        secret: "ck_3fa9c1_secret".into(),
    }
}

#[test]
fn an_empty_name_is_said_only_once_creating_is_tried_then_as_typed() {
    let mut form = KeyForm::default();
    assert_eq!(form.name_error(), None);
    assert_eq!(form.submit(), None);
    assert!(form.name_error().unwrap().starts_with("Enter a name"));
    form.edit("portal".into());
    assert_eq!(form.name_error(), None);
    form.edit("x".repeat(MAX_KEY_NAME + 1));
    assert!(form.name_error().unwrap().contains("can be at most 80"));
}

#[test]
fn a_valid_name_is_sent_trimmed_once_until_answered() {
    let mut form = KeyForm::default();
    form.edit("  partner portal ".into());
    assert_eq!(form.submit(), Some(NewApiKey { name: "partner portal".into() }));
    assert!(form.creating());
    assert_eq!(form.submit(), None, "not twice while in flight");
}

#[test]
fn a_created_key_empties_the_form_and_is_shown_until_the_next_one() {
    let mut form = KeyForm::default();
    form.edit("partner portal".into());
    form.submit();
    form.created(created(7));
    assert_eq!(form.name(), "");
    assert_eq!(form.name_error(), None, "the empty form is not an error");
    assert_eq!(form.shown().map(|c| c.secret.as_str()), Some("ck_3fa9c1_secret"));
    form.edit("another".into());
    form.submit();
    assert_eq!(form.shown(), None, "a secret is shown once, never again");
}

#[test]
fn revoking_the_key_just_created_hides_its_secret() {
    let mut form = KeyForm::default();
    form.created(created(7));
    form.forget(8);
    assert!(form.shown().is_some());
    form.forget(7);
    assert_eq!(form.shown(), None);
}

#[test]
fn the_servers_complaint_about_the_name_sits_at_the_field_until_edited() {
    let mut form = KeyForm::default();
    form.edit("portal".into());
    form.submit();
    let at_field = form.failed(&server_error(422, ErrorCode::Validation, "Check the name.", &[("name", "A key with this name exists.")]));
    assert!(at_field);
    assert!(!form.creating());
    assert_eq!(form.name(), "portal", "nothing typed is lost");
    assert_eq!(form.name_error().as_deref(), Some("A key with this name exists."));
    assert_eq!(form.problem(), None);
    form.edit("portal 2".into());
    assert_eq!(form.name_error(), None);
}

#[test]
fn other_failures_are_said_for_the_form() {
    let mut form = KeyForm::default();
    form.edit("portal".into());
    form.submit();
    assert!(!form.failed(&crate::api::ApiError::Unreachable));
    assert!(form.problem().unwrap().starts_with("The server could not be reached"));
    form.submit();
    assert_eq!(form.problem(), None, "trying again clears it");
}
