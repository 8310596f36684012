//! Tests of certificate uploads: read by the server, then part of the draft.

use conduit_types::draft::{CertificateDraft, FIELD_CERTIFICATE, FIELD_CERT_PRIVATE_KEY};
use conduit_types::fixtures::stored_certificates;
use conduit_types::ErrorCode;

use crate::api::ApiError;
use crate::editor::test_support::*;
use crate::editor::{section_of, tab_of, Block, Editor};
use crate::tabs::SettingsTab;

fn pem_form(editor: &mut Editor) {
    use crate::upload::UploadField;
    editor.edit_certificate_form(FIELD_CERTIFICATE, |f| {
        f.set(UploadField::Certificate, "-----BEGIN CERTIFICATE-----".into())
    });
    editor.edit_certificate_form(FIELD_CERT_PRIVATE_KEY, |f| {
        f.set(UploadField::PrivateKey, "-----BEGIN PRIVATE KEY-----".into())
    });
}

#[test]
fn a_certificate_read_by_the_server_joins_the_draft_and_needs_a_test() {
    let mut editor = Editor::new(saved());
    assert_eq!(editor.begin_read_certificate(), None, "nothing entered");
    assert_eq!(visible(&editor), vec!["certificate", "private_key"]);
    assert_eq!(editor.errors()[0].message, crate::upload::CERTIFICATE_MISSING);
    pem_form(&mut editor);
    assert!(editor.is_dirty(), "form text counts as an unsaved edit");
    assert_eq!(visible(&editor), Vec::<String>::new());
    let upload = editor.begin_read_certificate().unwrap();
    assert!(editor.reading_certificate());
    assert_eq!(editor.begin_read_certificate(), None, "one read at a time");

    let mut info = stored_certificates();
    info.client.as_mut().unwrap().subject = "CN=new".into();
    editor.finish_read_certificate(upload.clone(), Ok(info.clone()));
    assert_eq!(editor.draft().certificate, CertificateDraft::Upload(upload));
    assert_eq!(editor.certificate_preview(), Some(&info));
    assert!(editor.certificate_form().is_empty());
    assert_eq!(editor.tab_marks()[SettingsTab::Certificates.index()].unsaved, true);
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    pass(&mut editor);
    assert_eq!(editor.gate(), Ok(()));

    editor.discard_certificate_upload();
    assert_eq!(editor.certificate_preview(), None);
    assert_eq!(editor.gate(), Err(Block::Unchanged));
}

#[test]
fn a_refused_certificate_shows_each_problem_at_its_field_and_keeps_the_form() {
    let mut editor = Editor::new(saved());
    pem_form(&mut editor);
    let upload = editor.begin_read_certificate().unwrap();
    let error = server_error(
        422,
        ErrorCode::Validation,
        "Check the certificate.",
        &[("private_key", "The private key does not belong to the certificate.")],
    );
    editor.finish_read_certificate(upload, Err(error));
    assert_eq!(editor.draft().certificate, CertificateDraft::Keep);
    assert!(!editor.certificate_form().is_empty());
    assert_eq!(visible(&editor), vec!["private_key"]);
    assert_eq!(editor.errors()[0].message, "The private key does not belong to the certificate.");
    assert_eq!(tab_of(section_of("private_key")), SettingsTab::Certificates);
    assert_eq!(editor.tab_marks()[SettingsTab::Certificates.index()].errors, true);
    // Editing the key clears its error.
    editor.edit_certificate_form(FIELD_CERT_PRIVATE_KEY, |f| f.private_key_pem.push('x'));
    assert_eq!(visible(&editor), Vec::<String>::new());

    let upload = editor.begin_read_certificate().unwrap();
    editor.finish_read_certificate(upload, Err(ApiError::Unreachable));
    assert_eq!(visible(&editor), vec!["certificate"]);
    assert_eq!(editor.errors()[0].message, ApiError::Unreachable.to_string());
}
