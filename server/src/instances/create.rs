//! Adding an instance: the draft it starts from (blank, or a duplicate of
//! an instance without its secrets, client certificate or tokens), testing
//! and authorising that draft, and creating the instance, only once its
//! connection passed a test of exactly that draft (a receipt for a new
//! instance of that company's connector) or, for methods that sign in at
//! the provider, once authorised. Never by an embed session.
//!
//! A new draft is checked against blank settings
//! ([`conduit_types::create::blank_settings`]) with nothing stored, so it
//! can keep no secret: every secret it uses is one it carries.

use conduit_types::create::{blank_settings, copied_certificate, copy_name, duplicate_draft, new_draft, CreateInstanceRequest, NewInstanceDraft};
use conduit_types::draft::{AuthoriseMode, AuthoriseRequest, AuthoriseStart, InstanceDraft, TestDraftRequest, TestDraftResponse};
use conduit_types::{Id, InstanceSettings, InstanceStatus, TestOutcome};

use super::accept::{load, method, valid, Accepted};
use super::authorise::{begin, callback_url, Target, NEEDS_AUTHORISING};
use super::names::{name_refused, unique_name};
use super::read::settings;
use super::receipt;
use super::save::AUTHORISE_FIRST;
use super::secrets::merge;
use super::test::run_test;
use crate::engine::TlsMaterial;
use crate::error::{ApiResult, AppError};
use crate::receipts::{receipt_id, ReceiptScope};
use crate::store::{Created, Creation, InstanceConnection, NewCertificates, NewInstance, Secrets, SessionUser};
use crate::AppState;

/// The sentence for an embed session that asks to add or duplicate an instance.
pub const EMBED_MAY_NOT_CREATE: &str =
    "An embedded page cannot add or duplicate instances. Add them in conduit itself.";

/// The refusal (403) of an embed session's token asking to add or
/// duplicate an instance.
pub fn embed_may_not_create() -> AppError {
    AppError::Forbidden(EMBED_MAY_NOT_CREATE.to_owned())
}

/// A new instance of the company's connector as a test sees it: blank
/// settings, nothing stored; 404 for a connector the company did not install.
async fn blank(state: &AppState, user: &SessionUser, connector_id: Id) -> ApiResult<InstanceConnection> {
    let connector = state
        .store
        .installed_connector(user.company_id, connector_id)
        .await?
        .ok_or_else(|| AppError::not_found("connector"))?;
    let pools = state.store.connection_pools(user.company_id).await?;
    let mut settings = blank_settings(connector, pools);
    if settings.connector.definition.auth_methods.iter().any(|m| m.kind.needs_user_step()) {
        settings.oauth_callback_url = Some(callback_url(&state.config));
    }
    Ok(InstanceConnection { settings, secrets: Secrets::default(), tls: TlsMaterial::default(), last_tested_at: None })
}

/// A new draft accepted for a test, an authorisation or a creation: valid
/// against blank settings of the connector, with its upload checked.
async fn accept_new(state: &AppState, user: &SessionUser, connector_id: Id, draft: &InstanceDraft) -> ApiResult<Accepted> {
    let stored = blank(state, user, connector_id).await?;
    let upload = valid(state, &stored.settings, draft)?;
    Ok(Accepted { stored, upload })
}

/// `add new instance`: a blank draft of the company's connector.
pub async fn new_instance_draft(state: &AppState, user: &SessionUser, connector_id: Id) -> ApiResult<NewInstanceDraft> {
    let settings = blank(state, user, connector_id).await?.settings;
    let draft = new_draft(&settings);
    Ok(NewInstanceDraft { settings, draft, copy_of: None, certificate: None })
}

/// `duplicate`: a new draft copying instance `id` under the first free
/// "<name> (copy)" name, with its trusted CA but without its secrets,
/// client certificate and key, or tokens.
pub async fn duplicate(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<NewInstanceDraft> {
    let original = load(state, user, id).await?;
    let connector_id = original.settings.connector.id;
    let settings = blank(state, user, connector_id).await?.settings;
    let names = state.store.instance_names(user.company_id, connector_id, None).await?;
    let name = copy_name(&original.settings.details.name, names.iter().map(String::as_str));
    let draft = duplicate_draft(&original.settings, name, original.tls.ca_pem.clone());
    let certificate = copied_certificate(&original.settings);
    Ok(NewInstanceDraft { settings, draft, copy_of: Some(original.settings.details.name), certificate })
}

/// Tests a new draft of the connector; nothing is saved or recorded (there
/// is no instance yet). A passing test earns a receipt for creating an
/// instance of that connector from exactly this draft.
pub async fn test_new(
    state: &AppState,
    user: &SessionUser,
    connector_id: Id,
    request: &TestDraftRequest,
) -> ApiResult<TestDraftResponse> {
    let draft = &request.draft;
    let accepted = accept_new(state, user, connector_id, draft).await?;
    let method = method(&accepted.stored.settings, draft)?;
    if method.kind.needs_user_step() {
        return Err(AppError::Refused(NEEDS_AUTHORISING.to_owned()));
    }
    let run = run_test(state, user, &accepted, method, draft, None).await?;
    let result = run.result;
    tracing::info!(connector_id, user_id = user.user_id, outcome = ?result.outcome, "tested a new instance's draft");
    let scope = ReceiptScope::new_instance(user.company_id, connector_id);
    let receipt = (result.outcome == TestOutcome::Ok)
        .then(|| receipt::issue_for(state.store.receipts(), scope, draft, state.clock.now()));
    Ok(TestDraftResponse { result, receipt, status: None })
}

/// Starts authorising a new draft of the connector with the provider. The
/// way back comes to a popup: a new draft has no page to return to.
pub async fn authorise_new(
    state: &AppState,
    user: &SessionUser,
    connector_id: Id,
    request: &AuthoriseRequest,
) -> ApiResult<AuthoriseStart> {
    popup_only(request.mode)?;
    let accepted = accept_new(state, user, connector_id, &request.draft).await?;
    let target = Target { instance_id: 0, base_version: 0, new_of: Some(connector_id) };
    begin(state, user, &accepted, target, request, false).await
}

pub const ALREADY_USED: &str =
    "This passing test already added an instance. Test the connection again to add another.";

/// What marks an instance as created from receipt `token`.
fn receipt_mark(token: &str) -> String {
    format!("receipt:{}", receipt_id(token).unwrap_or(token))
}

/// What marks an instance as created from authorisation `id` (hashed: the
/// id is the owner's handle on it).
fn authorisation_mark(id: &str) -> String {
    format!("authorisation:{}", hex::encode(ring::digest::digest(&ring::digest::SHA256, id.as_bytes())))
}

/// A new draft is authorised in a popup only.
fn popup_only(mode: AuthoriseMode) -> ApiResult<()> {
    match mode {
        AuthoriseMode::Popup => Ok(()),
        AuthoriseMode::Redirect => Err(AppError::Refused(POPUP_ONLY.to_owned())),
    }
}

pub const POPUP_ONLY: &str = "Allow popups for this site to authorise a new instance with the provider: the \
     provider's page opens in a popup, and the new instance's draft stays here.";

/// Creates an instance of the connector from `request`'s draft; answers its
/// settings as saved.
pub async fn create(
    state: &AppState,
    user: &SessionUser,
    connector_id: Id,
    request: &CreateInstanceRequest,
) -> ApiResult<InstanceSettings> {
    // A completed authorisation brings the authentication it authorised,
    // secrets included, and the provider's tokens.
    let mut draft = request.draft.clone();
    let authorised = match request.authorisation.as_deref() {
        Some(authorisation) => {
            let found = state
                .authorisations
                .authorised_new(authorisation, user, connector_id, &draft)
                .map_err(|message| AppError::TestRequired(message.to_owned()))?;
            draft.authentication = found.authentication.clone();
            Some(found)
        }
        None => None,
    };
    let draft = &draft;
    let Accepted { stored, upload } = accept_new(state, user, connector_id, draft).await?;
    let method = method(&stored.settings, draft)?;
    let others = state.store.instance_names(user.company_id, connector_id, None).await?;
    unique_name(&draft.details.name, &others)?;

    let (tested_at, created_from) = match (&authorised, request.authorisation.as_deref()) {
        // The authorisation's tokens passed a connection test.
        (Some(_), Some(authorisation)) => (state.clock.now(), authorisation_mark(authorisation)),
        _ if method.kind.needs_user_step() => return Err(AppError::TestRequired(AUTHORISE_FIRST.to_owned())),
        _ => {
            let scope = ReceiptScope::new_instance(user.company_id, connector_id);
            let token = request.receipt.as_deref();
            let tested_at = receipt::check_for(state.store.receipts(), token, scope, draft, &state.clock)?;
            (tested_at, receipt_mark(token.unwrap_or_default()))
        }
    };
    let (plain, secrets) = merge(&stored, method, draft);
    let mut details = draft.details.clone();
    details.name = details.name.trim().to_owned();
    let instance = NewInstance {
        connector_id,
        details,
        auth_method: method.key.clone(),
        auth_fields: plain.0,
        secrets,
        status: InstanceStatus::Operational,
        last_tested_at: Some(tested_at),
    };
    let certificates = upload.map(NewCertificates::from);
    let creation = Creation {
        company_id: user.company_id,
        user_id: user.user_id,
        instance: &instance,
        certificates: certificates.as_ref(),
        oauth_tokens: authorised.as_ref().map(|a| &a.tokens),
        created_from: &created_from,
    };
    match state.store.create_from_draft(&creation).await? {
        Created::Created { id } => {
            tracing::info!(instance_id = id, connector_id, user_id = user.user_id, "created an instance");
            if let Some(authorisation) = request.authorisation.as_deref() {
                state.authorisations.consume(authorisation);
            }
            settings(state, user, id).await
        }
        Created::NameTaken => Err(name_refused()),
        Created::AlreadyUsed => Err(AppError::TestRequired(ALREADY_USED.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embed_session_is_refused_in_words() {
        assert!(matches!(embed_may_not_create(), AppError::Forbidden(m) if m == EMBED_MAY_NOT_CREATE));
    }

    #[test]
    fn one_receipt_or_authorisation_marks_one_instance() {
        let token = "payload.signature";
        assert_eq!(receipt_mark(token), "receipt:signature");
        assert_ne!(receipt_mark("payload.other"), receipt_mark(token));
        let mark = authorisation_mark("secret-authorisation-id");
        assert!(mark.starts_with("authorisation:") && !mark.contains("secret-authorisation-id"), "{mark}");
        assert_eq!(mark, authorisation_mark("secret-authorisation-id"));
        assert_ne!(mark, authorisation_mark("another"));
    }

    #[test]
    fn only_a_popup_authorises_a_new_draft() {
        assert!(popup_only(AuthoriseMode::Popup).is_ok());
        assert!(matches!(popup_only(AuthoriseMode::Redirect), Err(AppError::Refused(m)) if m == POPUP_ONLY));
    }
}
