//! The embed permission checks.

use super::*;

fn grant(permissions: &[Permission]) -> EmbedGrant {
    EmbedGrant {
        session_id: 1,
        company_id: 2,
        instance_id: 7,
        acting_user_id: 3,
        origin: "https://portal.example:8443".into(),
        user_name: "Jane Doe".into(),
        permissions: permissions.iter().copied().collect(),
    }
}

fn change(section: Section) -> ChangedField {
    ChangedField { section, label: "x".into(), connection: section != Section::Details, destination: false }
}

fn refused(result: Result<(), AppError>) -> String {
    match result {
        Err(AppError::Forbidden(sentence)) => sentence,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn only_its_instance_is_reached_and_only_with_view() {
    assert!(grant(&[Permission::View]).reach(7).is_ok());
    assert!(matches!(grant(&[Permission::View]).reach(8), Err(AppError::NotFound(_))));
    assert_eq!(refused(grant(&[Permission::Test, Permission::EditDetails]).reach(7)), NO_VIEW);
}

#[test]
fn each_section_changed_needs_its_permission() {
    let g = grant(&[Permission::View, Permission::EditDetails]);
    assert!(g.allow(Use::Save { authorised: false }, &[change(Section::Details)]).is_ok());
    assert!(g.allow(Use::Save { authorised: false }, &[]).is_ok());
    assert_eq!(refused(g.allow(Use::Save { authorised: false }, &[change(Section::Details), change(Section::Authentication)])), NO_CREDENTIALS);
    assert_eq!(refused(g.allow(Use::Save { authorised: false }, &[change(Section::Certificates)])), NO_CERTIFICATES);
    let creds = grant(&[Permission::View, Permission::EditCredentials]);
    assert!(creds.allow(Use::Save { authorised: false }, &[change(Section::Authentication)]).is_ok());
    assert_eq!(refused(creds.allow(Use::Save { authorised: false }, &[change(Section::Details)])), NO_DETAILS);
    let certs = grant(&[Permission::Certificates]);
    assert!(certs.allow(Use::Save { authorised: false }, &[change(Section::Certificates)]).is_ok());
}

#[test]
fn testing_needs_test_and_the_permission_for_what_the_draft_changes() {
    let g = grant(&[Permission::View, Permission::Test]);
    assert!(g.allow(Use::Test, &[]).is_ok());
    assert_eq!(refused(g.allow(Use::Test, &[change(Section::Authentication)])), NO_CREDENTIALS);
    assert_eq!(refused(grant(&[Permission::View, Permission::EditCredentials]).allow(Use::Test, &[])), NO_TEST);
    assert!(grant(&[Permission::Test, Permission::EditCredentials]).allow(Use::Test, &[change(Section::Authentication)]).is_ok());
}

#[test]
fn authorising_needs_authorise() {
    let g = grant(&[Permission::View, Permission::EditCredentials]);
    assert_eq!(refused(g.allow(Use::Authorise, &[])), NO_AUTHORISE);
    assert_eq!(refused(g.allow(Use::Save { authorised: true }, &[])), NO_AUTHORISE);
    let a = grant(&[Permission::View, Permission::Authorise, Permission::EditCredentials]);
    assert!(a.allow(Use::Authorise, &[change(Section::Authentication)]).is_ok());
    assert!(grant(&[]).allow(Use::Read, &[]).is_ok());
}

#[test]
fn the_history_names_the_end_user_via_the_hosts_origin() {
    let g = grant(&[Permission::View]);
    assert_eq!(g.history_name(), "Jane Doe via portal.example:8443");
    let user = g.acting_user();
    assert_eq!((user.user_id, user.company_id), (3, 2));
    assert_eq!(user.acting_as.as_deref(), Some("Jane Doe via portal.example:8443"));
}

#[test]
fn reading_a_certificate_upload_needs_view_and_certificates() {
    assert!(grant(&[Permission::View, Permission::Certificates]).inspect_certificates().is_ok());
    assert_eq!(refused(grant(&[Permission::View, Permission::EditCredentials]).inspect_certificates()), NO_CERTIFICATES);
    assert_eq!(refused(grant(&[Permission::Certificates]).inspect_certificates()), NO_VIEW);
}
