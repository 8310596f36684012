//! Tests of authorising with the provider, from the start to the save.

use conduit_types::draft::{AuthorisationState, AuthorisationStatus, AuthoriseMode, DraftField};
use conduit_types::ErrorCode;

use crate::api::ApiError;
use crate::editor::test_support::*;
use crate::editor::{Activity, Authorising, Block, Editor, SecretChoice, AUTHORISING_CANCELLED};

#[test]
fn the_authorisation_code_method_has_no_test_and_saves_details_only() {
    let mut editor = oauth_editor(None);
    assert!(!editor.can_test());
    assert_eq!(editor.begin_test(0), None);
    editor.set_name("Shopify - GB".into());
    assert_eq!(editor.gate(), Ok(()));
    editor.set_plain("client_id", "app-2".into());
    assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));
}

#[test]
fn an_authorised_draft_saves_with_its_authorisation_and_an_edit_undoes_that() {
    let mut editor = oauth_editor(None);
    assert_eq!(editor.authorise_label(), "authorise");
    assert_eq!(editor.begin_test(0), None);
    editor.set_secret_choice("client_secret", SecretChoice::Replace);
    editor.set_secret_value("client_secret", "new secret".into());
    assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));

    let id = start(&mut editor, AuthoriseMode::Popup);
    assert!(editor.authorisation_update(&id, Ok(status(&editor, AuthorisationState::Pending))));
    assert_eq!(editor.gate(), Err(Block::Authorising));
    let done = status(&editor, AuthorisationState::Authorised { expires_at: 9, granted_scope: None });
    assert!(!editor.authorisation_update(&id, Ok(done)));
    assert_eq!(editor.activity(), &Activity::Idle);
    assert_eq!(editor.gate(), Ok(()));
    let request = editor.begin_save().unwrap();
    assert_eq!(request.authorisation.as_deref(), Some("a1"));
    assert_eq!(request.receipt, None);
    editor.finish_save(Err(ApiError::Unreachable));

    // Another client id is another authorisation.
    editor.set_plain("client_id", "app-2".into());
    assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));
    editor.set_plain("client_id", "app".into());
    assert_eq!(editor.gate(), Ok(()));
}

#[test]
fn reconnecting_saves_new_tokens_for_unchanged_settings() {
    let mut editor = oauth_editor(Some(1_700_000_000));
    assert_eq!(editor.authorise_label(), "reconnect");
    assert_eq!(editor.gate(), Err(Block::Unchanged));
    let id = start(&mut editor, AuthoriseMode::Popup);
    let done = status(&editor, AuthorisationState::Authorised { expires_at: 9, granted_scope: None });
    editor.authorisation_update(&id, Ok(done));
    assert!(editor.is_dirty(), "new tokens are unsaved until saved");
    assert_eq!(editor.gate(), Ok(()));
    assert_eq!(editor.begin_save().unwrap().authorisation.as_deref(), Some("a1"));
}

#[test]
fn denied_or_abandoned_authorising_says_so_and_keeps_save_locked() {
    let mut editor = oauth_editor(None);
    editor.set_plain("client_id", "app-2".into());
    let id = start(&mut editor, AuthoriseMode::Popup);
    let denied = AuthorisationState::Failed {
        message: "You denied access at the provider. Nothing was saved.".into(),
    };
    editor.authorisation_update(&id, Ok(status(&editor, denied)));
    assert_eq!(
        editor.authorising(),
        Some(&Authorising::Failed("You denied access at the provider. Nothing was saved.".into()))
    );
    assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));
    assert_eq!(editor.draft().authentication.fields["client_id"], DraftField::Plain { value: "app-2".into() });

    let id = start(&mut editor, AuthoriseMode::Popup);
    assert_eq!(editor.abandon_authorising(), Some(id.clone()));
    assert_eq!(editor.authorising(), Some(&Authorising::Failed(AUTHORISING_CANCELLED.into())));
    // A late answer about the abandoned one changes nothing.
    let late = status(&editor, AuthorisationState::Authorised { expires_at: 9, granted_scope: None });
    editor.authorisation_update(&id, Ok(late));
    assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));
}

#[test]
fn a_refused_start_shows_the_servers_field_errors() {
    let mut editor = oauth_editor(None);
    editor.set_plain("client_id", "app-2".into());
    editor.begin_authorise(AuthoriseMode::Popup).unwrap();
    let error = server_error(422, ErrorCode::Validation, "Check the fields.", &[("authentication.client_id", "Unknown client.")]);
    assert_eq!(editor.authorise_started(Err(error)), None);
    assert_eq!(editor.activity(), &Activity::Idle);
    assert_eq!(visible(&editor), vec!["authentication.client_id"]);
}

#[test]
fn after_a_full_page_authorisation_the_draft_comes_back_with_its_secrets_held() {
    let mut editor = oauth_editor(None);
    let mut returned = editor.draft().clone();
    returned.details.name = "Renamed".into();
    returned
        .authentication
        .fields
        .insert("client_secret".into(), DraftField::Replace { value: String::new() });
    let status = AuthorisationStatus {
        instance_id: editor.saved().id,
        base_version: editor.saved().version,
        state: AuthorisationState::Authorised { expires_at: 9, granted_scope: None },
        draft: returned.clone(),
    };
    editor.restore_authorisation("a9", status);
    assert_eq!(editor.draft(), &returned);
    assert_eq!(editor.errors(), vec![], "the held secret is not asked for");
    assert_eq!(editor.gate(), Ok(()));
    let request = editor.begin_save().unwrap();
    assert_eq!(request.authorisation.as_deref(), Some("a9"));
    editor.finish_save(Err(ApiError::Unreachable));

    // Editing the connection again means entering the secret again.
    editor.set_plain("client_id", "app-3".into());
    assert_eq!(editor.gate(), Err(Block::Invalid));
}

#[test]
fn switching_to_an_authorisation_code_method_cannot_be_tested() {
    let mut editor = Editor::new(saved());
    assert!(editor.can_test());
    editor.choose_method("oauth_app");
    assert!(!editor.can_test());
    editor.set_plain("client_id", "app".into());
    editor.set_secret_value("client_secret", "s".into());
    assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));
}

#[test]
fn discarding_an_authorised_draft_gives_its_authorisation_back_to_cancel() {
    let mut editor = oauth_editor(None);
    let id = start(&mut editor, AuthoriseMode::Popup);
    let done = status(&editor, AuthorisationState::Authorised { expires_at: 9, granted_scope: Some("orders:read".into()) });
    editor.authorisation_update(&id, Ok(done));
    assert!(matches!(
        editor.authorising(),
        Some(Authorising::Authorised { granted: Some(scope), .. }) if scope == "orders:read"
    ));
    assert_eq!(editor.discard(), Some(id));
    assert_eq!(editor.authorising(), None);
    assert!(!editor.is_dirty());
}

#[test]
fn a_blocked_popup_in_an_embedded_page_offers_the_consent_page_by_hand_while_waiting() {
    let mut editor = oauth_editor(None);
    editor.open_consent_by_hand("https://provider.example/consent".into());
    assert_eq!(editor.consent_link(), None, "not while nothing is being authorised");

    let id = start(&mut editor, AuthoriseMode::Popup);
    editor.open_consent_by_hand("https://provider.example/consent".into());
    assert_eq!(editor.consent_link(), Some("https://provider.example/consent"));

    let done = AuthorisationState::Authorised { expires_at: 9, granted_scope: None };
    editor.authorisation_update(&id, Ok(status(&editor, done)));
    assert_eq!(editor.consent_link(), None, "gone once authorising ended");
    start(&mut editor, AuthoriseMode::Popup);
    assert_eq!(editor.consent_link(), None, "a new start has no old link");
}
