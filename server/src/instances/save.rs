//! Saving a draft: all three tabs at once, in one transaction, only from the
//! current version, and a change to the connection only with a receipt of a
//! passing test of exactly that draft, or a completed authorisation.

use conduit_types::create::same_name;
use conduit_types::draft::{self, CertificateDraft, ChangedField, SaveRequest};
use conduit_types::{Id, InstanceSettings};

use super::accept::{accept, conflict, method, Accepted};
use super::names::unique_name;
use super::read::settings;
use super::receipt;
use super::secrets::merge;
use crate::error::{ApiResult, AppError};
use crate::store::{CertificateChange, InstanceUpdate, NewCertificates, SaveOutcome, SessionUser};
use crate::AppState;

pub const AUTHORISE_FIRST: &str = "Authorise with the provider, then save.";

/// Saves `request`'s draft of instance `id`; answers the settings as saved.
pub async fn save_draft(state: &AppState, user: &SessionUser, id: Id, request: &SaveRequest) -> ApiResult<InstanceSettings> {
    // A completed authorisation brings the authentication it authorised,
    // secrets included, and the provider's tokens.
    let mut draft = request.draft.clone();
    let authorised = match request.authorisation.as_deref() {
        Some(authorisation) => {
            let found = state
                .authorisations
                .authorised(authorisation, user, id, request.base_version, &draft)
                .map_err(|message| AppError::TestRequired(message.to_owned()))?;
            draft.authentication = found.authentication.clone();
            Some(found)
        }
        None => None,
    };
    let draft = &draft;
    let Accepted { stored, upload } = accept(state, user, id, request.base_version, draft).await?;
    let saved = &stored.settings;
    let method = method(saved, draft)?;

    let changed = draft::changed_fields(saved, draft);
    if !same_name(&saved.details.name, &draft.details.name) {
        let others = state.store.instance_names(user.company_id, saved.connector.id, Some(id)).await?;
        unique_name(&draft.details.name, &others)?;
    }
    if changed.is_empty() && authorised.is_none() {
        // Nothing to store: the saved settings are the answer.
        return settings(state, user, id).await;
    }
    let tested_at = if authorised.is_some() {
        // The authorisation's tokens passed a connection test.
        Some(state.clock.now())
    } else if changed.iter().any(|c| c.connection) {
        if method.kind.needs_user_step() {
            return Err(AppError::TestRequired(AUTHORISE_FIRST.to_owned()));
        }
        let keys = state.store.receipts();
        let token = request.receipt.as_deref();
        Some(receipt::check(keys, token, user, id, request.base_version, draft, &state.clock)?)
    } else {
        None
    };

    let (plain, secrets) = merge(&stored, method, draft);
    let new_certificates = upload.map(NewCertificates::from);
    let labels = history_labels(changed, authorised.is_some());
    let update = InstanceUpdate {
        company_id: user.company_id,
        instance_id: id,
        user_id: user.user_id,
        base_version: request.base_version,
        details: &draft.details,
        auth_method: &method.key,
        auth_fields: &plain.0,
        secrets: &secrets,
        tested_at,
        certificate: certificate_change(&draft.certificate, new_certificates.as_ref()),
        changed: &labels,
        oauth_tokens: authorised.as_ref().map(|a| &a.tokens),
    };
    match state.store.save_instance_as(&update, user.acting_as.as_deref()).await? {
        SaveOutcome::Saved { version } => {
            tracing::info!(instance_id = id, user_id = user.user_id, version, changed = ?labels, "saved an instance");
            if let Some(authorisation) = request.authorisation.as_deref() {
                state.authorisations.consume(authorisation);
            }
        }
        SaveOutcome::Stale => return Err(conflict(state, user, id, request.base_version).await),
    }
    settings(state, user, id).await
}

/// What the save does to the stored certificates.
fn certificate_change<'a>(draft: &CertificateDraft, new: Option<&'a NewCertificates>) -> CertificateChange<'a> {
    match (draft, new) {
        (CertificateDraft::Upload(_), Some(new)) => CertificateChange::Store(new),
        (CertificateDraft::Remove, _) => CertificateChange::Remove,
        (CertificateDraft::RemoveCa, _) => CertificateChange::RemoveCa,
        _ => CertificateChange::Keep,
    }
}

/// The history's words for what a save changed.
fn history_labels(changed: Vec<ChangedField>, authorised: bool) -> Vec<String> {
    let mut labels: Vec<String> = changed.into_iter().map(|c| c.label).collect();
    if authorised {
        labels.push("authorisation".to_owned());
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use conduit_types::draft::{CertificateUpload, Section};

    fn changed(label: &str) -> ChangedField {
        ChangedField { section: Section::Details, label: label.into(), connection: false, destination: false }
    }

    #[test]
    fn the_history_names_the_changed_fields_and_an_authorisation() {
        assert_eq!(history_labels(vec![changed("name"), changed("time zone")], false), ["name", "time zone"]);
        assert_eq!(history_labels(vec![changed("name")], true), ["name", "authorisation"]);
        assert_eq!(history_labels(vec![], true), ["authorisation"]);
    }

    #[test]
    fn certificates_change_only_as_the_draft_says() {
        let upload = CertificateDraft::Upload(CertificateUpload { identity: None, ca_certificate_pem: None });
        // An upload that was not read stores nothing.
        assert!(matches!(certificate_change(&upload, None), CertificateChange::Keep));
        assert!(matches!(certificate_change(&CertificateDraft::Remove, None), CertificateChange::Remove));
        assert!(matches!(certificate_change(&CertificateDraft::RemoveCa, None), CertificateChange::RemoveCa));
        assert!(matches!(certificate_change(&CertificateDraft::Keep, None), CertificateChange::Keep));
    }
}
