//! Accepting a draft for a test, an authorisation or a save: the instance is
//! the user's company's, the draft started from its current version (else
//! 409, naming who saved since) and it is valid with its certificate upload
//! (else 422).

use conduit_types::draft::{self, CertificateDraft, InstanceDraft};
use conduit_types::{AuthMethodDef, ConflictInfo, Id, InstanceSettings};

use crate::certificates::{check_upload, CheckedUpload};
use crate::engine::TlsMaterial;
use crate::error::{ApiResult, AppError};
use crate::store::{InstanceConnection, LastSave, SessionUser};
use crate::AppState;

/// A draft accepted for a test or a save: the instance as stored, and the
/// draft's certificate upload, read and checked, if it has one.
pub struct Accepted {
    pub stored: InstanceConnection,
    pub upload: Option<CheckedUpload>,
}

impl Accepted {
    /// What the draft's connection presents and trusts.
    pub fn tls(&self, draft: &InstanceDraft) -> TlsMaterial {
        tls_of(&self.stored.tls, self.upload.as_ref(), &draft.certificate)
    }
}

/// The TLS material of a connection with `certificate` done to the stored one.
fn tls_of(stored: &TlsMaterial, upload: Option<&CheckedUpload>, certificate: &CertificateDraft) -> TlsMaterial {
    match (certificate, upload) {
        (CertificateDraft::Upload(_), Some(upload)) => upload.tls(),
        (CertificateDraft::Remove, _) => TlsMaterial::default(),
        (CertificateDraft::RemoveCa, _) => TlsMaterial { ca_pem: None, ..stored.clone() },
        _ => stored.clone(),
    }
}

/// The instance as stored, or 404.
pub async fn load(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<InstanceConnection> {
    state
        .store
        .connection(user.company_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("instance"))
}

/// The stored instance a draft may be tested or saved against: it is the
/// user's company's, the draft started from its current version (else 409)
/// and the draft, with its certificate upload, is valid (else 422).
pub async fn accept(
    state: &AppState,
    user: &SessionUser,
    id: Id,
    base_version: i64,
    draft: &InstanceDraft,
) -> ApiResult<Accepted> {
    let stored = load(state, user, id).await?;
    if stored.settings.version != base_version {
        return Err(conflict(state, user, id, base_version).await);
    }
    let upload = valid(state, &stored.settings, draft)?;
    Ok(Accepted { stored, upload })
}

/// Whether `draft` is valid against `saved`, with its certificate upload
/// (else 422 with every problem at its field); answers the upload, read and
/// checked, if it has one.
pub fn valid(state: &AppState, saved: &InstanceSettings, draft: &InstanceDraft) -> ApiResult<Option<CheckedUpload>> {
    let mut errors = draft::validate(saved, draft);
    let upload = match &draft.certificate {
        CertificateDraft::Upload(upload) => match check_upload(upload, state.clock.now()) {
            Ok(checked) => Some(checked),
            Err(fields) => {
                errors.extend(fields);
                None
            }
        },
        CertificateDraft::Keep | CertificateDraft::Remove | CertificateDraft::RemoveCa => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(upload)
}

/// The 409 for a draft started from version `base` that is no longer
/// current, naming who saved in between (saying so when it was the user
/// themselves) and which fields the saves since `base` changed.
pub async fn conflict(state: &AppState, user: &SessionUser, id: Id, base: i64) -> AppError {
    let store = &state.store;
    match (store.last_save(user.company_id, id).await, store.changed_since(user.company_id, id, base).await) {
        (Ok(last), Ok(changed)) => conflict_error(user, last, changed),
        (Err(e), _) | (_, Err(e)) => AppError::Internal(e),
    }
}

/// The 409 saying who saved last (`last`) and what the saves since changed.
fn conflict_error(user: &SessionUser, last: Option<LastSave>, changed: Vec<String>) -> AppError {
    // The same user, acting for the same person: an embed session's end
    // user is not the key's creator who signs in to the dashboard.
    let mine = |last: &LastSave| last.user_id == user.user_id && last.acting_as == user.acting_as;
    let message = match &last {
        Some(last) if mine(last) => {
            "You saved this instance elsewhere (in another tab or window) after this draft was started. \
             Reload to see that version."
                .to_owned()
        }
        Some(last) => format!(
            "{} saved this instance after you started editing. Reload to see their changes.",
            last.info.saved_by
        ),
        None => "This instance changed after you started editing. Reload to see the changes.".to_owned(),
    };
    let conflict = last.map(|l| ConflictInfo { by_you: mine(&l), changed, ..l.info });
    AppError::Conflict { message, conflict }
}

/// The draft's method (it exists: the draft was validated).
pub fn method<'a>(saved: &'a InstanceSettings, draft: &InstanceDraft) -> ApiResult<&'a AuthMethodDef> {
    saved
        .connector
        .definition
        .auth_method(&draft.authentication.method)
        .ok_or_else(|| AppError::Refused("Choose one of the authentication methods this connector offers.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::fixture::{draft_of, stored, user};

    fn last_save(user_id: Id, saved_by: &str) -> LastSave {
        LastSave {
            user_id,
            acting_as: None,
            info: ConflictInfo { saved_by: saved_by.into(), saved_at: 1_800_000_000, version: 4, by_you: false, changed: vec![] },
        }
    }

    fn parts(error: AppError) -> (String, Option<ConflictInfo>) {
        match error {
            AppError::Conflict { message, conflict } => (message, conflict),
            other => panic!("not a conflict: {other:?}"),
        }
    }

    #[test]
    fn a_conflict_names_who_saved_and_what_changed() {
        let (message, info) = parts(conflict_error(&user(1), Some(last_save(2, "Grace")), vec!["name".into()]));
        assert_eq!(message, "Grace saved this instance after you started editing. Reload to see their changes.");
        let info = info.unwrap();
        assert!(!info.by_you);
        assert_eq!((info.saved_by.as_str(), info.version, info.changed), ("Grace", 4, vec!["name".to_owned()]));
    }

    #[test]
    fn a_conflict_with_the_users_own_save_says_so() {
        let (message, info) = parts(conflict_error(&user(1), Some(last_save(1, "Ada")), vec![]));
        assert!(message.starts_with("You saved this instance elsewhere"), "{message}");
        assert!(info.unwrap().by_you);
    }

    #[test]
    fn a_save_through_an_embed_session_is_not_the_key_creators_own() {
        let jane = LastSave { acting_as: Some("Jane Doe via portal.example".into()), ..last_save(1, "Jane Doe via portal.example") };
        let (message, info) = parts(conflict_error(&user(1), Some(jane.clone()), vec![]));
        assert!(message.starts_with("Jane Doe via portal.example saved this instance"), "{message}");
        assert!(!info.unwrap().by_you);
        let mut as_jane = user(1);
        as_jane.acting_as = Some("Jane Doe via portal.example".into());
        let (message, info) = parts(conflict_error(&as_jane, Some(jane), vec![]));
        assert!(message.starts_with("You saved this instance elsewhere"), "{message}");
        assert!(info.unwrap().by_you);
        let (_, info) = parts(conflict_error(&as_jane, Some(last_save(1, "Ada")), vec![]));
        assert!(!info.unwrap().by_you, "Ada's own save is not Jane's");
    }

    #[test]
    fn a_conflict_with_no_known_save_still_answers() {
        let (message, info) = parts(conflict_error(&user(1), None, vec!["name".into()]));
        assert_eq!(message, "This instance changed after you started editing. Reload to see the changes.");
        assert!(info.is_none());
    }

    #[test]
    fn the_method_is_the_drafts_and_an_unknown_one_is_refused() {
        let stored = stored("basic", &[], &[]);
        let mut draft = draft_of(&stored);
        draft.authentication.method = "bearer".into();
        assert_eq!(method(&stored.settings, &draft).unwrap().key, "bearer");
        draft.authentication.method = "telepathy".into();
        assert!(matches!(method(&stored.settings, &draft), Err(AppError::Refused(_))));
    }

    #[test]
    fn removing_the_ca_keeps_the_client_certificate_and_removing_all_keeps_nothing() {
        let stored_tls = TlsMaterial { ca_pem: Some("CA".into()), client: None };
        assert_eq!(tls_of(&stored_tls, None, &CertificateDraft::Keep).ca_pem.as_deref(), Some("CA"));
        assert_eq!(tls_of(&stored_tls, None, &CertificateDraft::RemoveCa).ca_pem, None);
        assert_eq!(tls_of(&stored_tls, None, &CertificateDraft::Remove).ca_pem, None);
    }
}
