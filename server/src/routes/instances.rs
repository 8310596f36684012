//! One instance's settings: read, test a draft, save a draft, history.
//!
//! Every route answers for the signed-in user's company only; another
//! company's instance is answered exactly like a missing one.

use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use conduit_types::draft::{
    self, CertificateDraft, DraftField, InstanceDraft, InstanceHistory, SaveRequest, TestDraftRequest, TestDraftResponse,
};
use conduit_types::{AuthMethodDef, ConflictInfo, Id, InstanceSettings, InstanceStatus, TestOutcome};

use super::authorise;
use crate::auth::CurrentUser;
use crate::certificates::{check_upload, CheckedUpload};
use crate::engine::{EngineError, FieldValues, TestInput, TlsMaterial};
use crate::error::{ApiJson, ApiPath, ApiResult, AppError};
use crate::receipts::{ReceiptError, ReceiptScope};
use crate::store::{
    CertificateChange, InstanceConnection, InstanceUpdate, NewCertificates, SaveOutcome, Secrets, SessionUser,
};
use crate::AppState;

/// A draft holds a few dozen short values, and perhaps a certificate upload.
const BODY_LIMIT: usize = super::certificates::BODY_LIMIT;

pub const NEEDS_AUTHORISING: &str = "This authentication method is checked by authorising with the provider, \
     not by a connection test.";
pub const AUTHORISE_FIRST: &str = "Authorise with the provider, then save.";
pub const RECEIPT_MISSING: &str =
    "These changes affect the connection. Test the connection, then save once the test passes.";
pub const RECEIPT_INVALID: &str = "The test receipt is not valid. Test the connection again, then save.";
pub const RECEIPT_EXPIRED: &str =
    "The passing test is more than 15 minutes old. Test the connection again, then save.";
pub const RECEIPT_OTHER_DRAFT: &str =
    "These settings are not the ones that passed the test. Test the connection again, then save.";

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/instances/{id}", get(read).put(save))
        .route("/instances/{id}/test", post(test))
        .route("/instances/{id}/history", get(history))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<Json<InstanceSettings>> {
    answer(&state, &user, id).await
}

/// The instance's settings as the API answers them: as stored, with the
/// address OAuth 2 providers send people back to when the connector has a
/// method that authorises with the provider.
async fn answer(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<Json<InstanceSettings>> {
    let mut settings = state
        .store
        .instance_settings(user.company_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("instance"))?;
    if settings.connector.definition.auth_methods.iter().any(|m| m.kind.needs_user_step()) {
        settings.oauth_callback_url = Some(authorise::callback_url(&state.config));
    }
    Ok(Json(settings))
}

/// The instance as stored, or 404.
async fn load(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<InstanceConnection> {
    state
        .store
        .connection(user.company_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("instance"))
}

/// A draft accepted for a test or a save: the instance as stored, and the
/// draft's certificate upload, read and checked, if it has one.
pub(super) struct Accepted {
    pub(super) stored: InstanceConnection,
    upload: Option<CheckedUpload>,
}

impl Accepted {
    /// What the draft's connection presents and trusts.
    pub(super) fn tls(&self, draft: &InstanceDraft) -> TlsMaterial {
        match (&draft.certificate, &self.upload) {
            (CertificateDraft::Upload(_), Some(upload)) => upload.tls(),
            (CertificateDraft::Remove, _) => TlsMaterial::default(),
            (CertificateDraft::RemoveCa, _) => TlsMaterial { ca_pem: None, ..self.stored.tls.clone() },
            _ => self.stored.tls.clone(),
        }
    }
}

/// The stored instance a draft may be tested or saved against: it is the
/// user's company's, the draft started from its current version (else 409)
/// and the draft, with its certificate upload, is valid (else 422).
pub(super) async fn accept(
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
    let mut errors = draft::validate(&stored.settings, draft);
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
    Ok(Accepted { stored, upload })
}

/// The 409 for a draft started from version `base` that is no longer
/// current, naming who saved in between (saying so when it was the user
/// themselves) and which fields the saves since `base` changed.
async fn conflict(state: &AppState, user: &SessionUser, id: Id, base: i64) -> AppError {
    let store = &state.store;
    let (last, changed) = match (store.last_save(user.company_id, id).await, store.changed_since(user.company_id, id, base).await) {
        (Ok(last), Ok(changed)) => (last, changed),
        (Err(e), _) | (_, Err(e)) => return AppError::Internal(e),
    };
    let message = match &last {
        Some(last) if last.user_id == user.user_id => {
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
    let conflict = last.map(|l| ConflictInfo { by_you: l.user_id == user.user_id, changed, ..l.info });
    AppError::Conflict { message, conflict }
}

/// The draft's method (it exists: the draft was validated).
pub(super) fn method<'a>(saved: &'a InstanceSettings, draft: &InstanceDraft) -> ApiResult<&'a AuthMethodDef> {
    saved
        .connector
        .definition
        .auth_method(&draft.authentication.method)
        .ok_or_else(|| AppError::Refused("Choose one of the authentication methods this connector offers.".into()))
}

/// The draft's values with its secrets resolved: kept ones from the store
/// (when the method is the saved one), replaced ones from the draft.
/// Returns (plain fields, secrets).
pub(super) fn merge(stored: &InstanceConnection, method: &AuthMethodDef, draft: &InstanceDraft) -> (FieldValues, Secrets) {
    let same_method = stored.settings.authentication.method == method.key;
    let mut plain = std::collections::BTreeMap::new();
    let mut secrets = std::collections::BTreeMap::new();
    for def in &method.fields {
        match draft.authentication.fields.get(&def.key) {
            Some(DraftField::Plain { value }) if !def.secret => {
                plain.insert(def.key.clone(), value.clone());
            }
            Some(DraftField::Replace { value }) if def.secret => {
                secrets.insert(def.key.clone(), value.clone());
            }
            None | Some(DraftField::Keep) if def.secret && same_method => {
                if let Some(value) = stored.secrets.get(&def.key) {
                    secrets.insert(def.key.clone(), value.to_owned());
                }
            }
            _ => {}
        }
    }
    (FieldValues(plain), Secrets(secrets))
}

/// Every field value a connection made from `draft` uses, secrets resolved
/// as [`merge`] does.
pub(super) fn connection_fields(stored: &InstanceConnection, method: &AuthMethodDef, draft: &InstanceDraft) -> FieldValues {
    let (mut fields, secrets) = merge(stored, method, draft);
    fields.0.extend(secrets.0);
    fields
}

/// What a test of the saved connection says about the instance's status.
fn status_of(outcome: TestOutcome) -> Option<InstanceStatus> {
    match outcome {
        TestOutcome::Ok => Some(InstanceStatus::Operational),
        TestOutcome::AuthRejected => Some(InstanceStatus::FailedAuthentication),
        TestOutcome::Dns | TestOutcome::Connect | TestOutcome::Tls | TestOutcome::Timeout => {
            Some(InstanceStatus::Unreachable)
        }
        TestOutcome::UnexpectedStatus | TestOutcome::BlockedByPolicy | TestOutcome::InvalidSettings => None,
    }
}

/// `POST /api/instances/{id}/test`: tests a draft; nothing of it is saved.
/// Dropping this future (the browser went away) stops the test.
async fn test(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<TestDraftRequest>,
) -> ApiResult<Json<TestDraftResponse>> {
    let draft = &request.draft;
    let accepted = accept(&state, &user, id, request.base_version, draft).await?;
    let stored = &accepted.stored;
    let saved = &stored.settings;
    let method = method(saved, draft)?;
    // Signing in through the provider is checked with the saved tokens.
    let authorised = if method.kind.needs_user_step() {
        Some(authorise::saved_tokens(&state, &user, saved, draft).await?)
    } else {
        None
    };

    let fields = connection_fields(stored, method, draft);
    let input = TestInput {
        definition: saved.connector.definition.clone(),
        variables: draft.details.variables.clone(),
        auth_method: method.key.clone(),
        fields,
        tls: accepted.tls(draft),
        oauth_tokens: authorised.as_ref().map(|(tokens, _)| tokens.clone()),
    };
    let mut run = state.engine.test(user.company_id, &input).await.map_err(|e| match e {
        EngineError::Busy => AppError::TooManyRequests(e.to_string()),
    })?;
    let reconnect = match authorised {
        Some((_, authorised_at)) => authorise::after_test(&state, &user, id, authorised_at, &mut run).await?,
        None => false,
    };
    let result = run.result;
    let tested_at = state.clock.now();
    state.store.record_test(user.company_id, id, user.user_id, &result).await?;
    tracing::info!(instance_id = id, user_id = user.user_id, outcome = ?result.outcome, "tested a draft");

    // A test of the connection as saved also tells how the instance is
    // doing; the answer says so, so the page's badge can follow at once.
    let mut status = None;
    if !draft::changes_connection(saved, draft) {
        let found = if reconnect { Some(InstanceStatus::NeedsReconnecting) } else { status_of(result.outcome) };
        if let Some(found) = found {
            let current = state
                .store
                .set_tested_status(user.company_id, id, saved.version, found, tested_at)
                .await?;
            status = current.then_some(found);
        }
    }

    // Saving such a method's connection takes an authorisation, not a receipt.
    let receipt = (result.outcome == TestOutcome::Ok && !method.kind.needs_user_step()).then(|| {
        let scope = ReceiptScope { company_id: user.company_id, instance_id: id, base_version: request.base_version };
        state.store.receipts().issue(scope, &draft.connection(), tested_at)
    });
    Ok(Json(TestDraftResponse { result, receipt, status }))
}

/// `PUT /api/instances/{id}`: saves all three tabs of a draft at once.
async fn save(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<SaveRequest>,
) -> ApiResult<Json<InstanceSettings>> {
    // A completed authorisation brings the authentication it authorised,
    // secrets included, and the provider's tokens.
    let mut draft = request.draft.clone();
    let authorised = match request.authorisation.as_deref() {
        Some(authorisation) => {
            let found = state
                .authorisations
                .authorised(authorisation, &user, id, request.base_version, &draft)
                .map_err(|message| AppError::TestRequired(message.to_owned()))?;
            draft.authentication = found.authentication.clone();
            Some(found)
        }
        None => None,
    };
    let draft = &draft;
    let Accepted { stored, upload } = accept(&state, &user, id, request.base_version, draft).await?;
    let saved = &stored.settings;
    let method = method(saved, draft)?;

    let changed = draft::changed_fields(saved, draft);
    if changed.is_empty() && authorised.is_none() {
        // Nothing to store: the saved settings are the answer.
        return answer(&state, &user, id).await;
    }
    let tested_at = if authorised.is_some() {
        // The authorisation's tokens passed a connection test.
        Some(state.clock.now())
    } else if changed.iter().any(|c| c.connection) {
        if method.kind.needs_user_step() {
            return Err(AppError::TestRequired(AUTHORISE_FIRST.to_owned()));
        }
        let token = request.receipt.as_deref().ok_or_else(|| AppError::TestRequired(RECEIPT_MISSING.into()))?;
        let scope = ReceiptScope { company_id: user.company_id, instance_id: id, base_version: request.base_version };
        let tested_at = state
            .store
            .receipts()
            .verify(token, scope, &draft.connection(), state.clock.now())
            .map_err(|e| {
                AppError::TestRequired(
                    match e {
                        ReceiptError::Invalid => RECEIPT_INVALID,
                        ReceiptError::Expired => RECEIPT_EXPIRED,
                        ReceiptError::OtherDraft => RECEIPT_OTHER_DRAFT,
                    }
                    .to_owned(),
                )
            })?;
        Some(tested_at)
    } else {
        None
    };

    let (plain, secrets) = merge(&stored, method, draft);
    let new_certificates = upload.map(NewCertificates::from);
    let certificate = match (&draft.certificate, &new_certificates) {
        (CertificateDraft::Upload(_), Some(new)) => CertificateChange::Store(new),
        (CertificateDraft::Remove, _) => CertificateChange::Remove,
        (CertificateDraft::RemoveCa, _) => CertificateChange::RemoveCa,
        _ => CertificateChange::Keep,
    };
    let mut labels: Vec<String> = changed.into_iter().map(|c| c.label).collect();
    if authorised.is_some() {
        labels.push("authorisation".to_owned());
    }
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
        certificate,
        changed: &labels,
        oauth_tokens: authorised.as_ref().map(|a| &a.tokens),
    };
    match state.store.save_instance(&update).await? {
        SaveOutcome::Saved { version } => {
            tracing::info!(instance_id = id, user_id = user.user_id, version, changed = ?labels, "saved an instance");
            if let Some(authorisation) = request.authorisation.as_deref() {
                state.authorisations.consume(authorisation);
            }
        }
        SaveOutcome::Stale => return Err(conflict(&state, &user, id, request.base_version).await),
    }
    answer(&state, &user, id).await
}

/// `GET /api/instances/{id}/history`: tests and saves, newest first.
async fn history(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<Json<InstanceHistory>> {
    state
        .store
        .history(user.company_id, id)
        .await?
        .map(|entries| Json(InstanceHistory { entries }))
        .ok_or_else(|| AppError::not_found("instance"))
}
