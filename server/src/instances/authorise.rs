//! Authorising a draft with its provider (OAuth 2 authorisation code with
//! PKCE): the step before the consent page, the step after the provider
//! sends the person back, and the saved tokens' part in connection tests.
//!
//! Nothing here is saved but renewed tokens: a save naming a completed
//! authorisation stores its tokens (see [`super::save`]). The
//! authorisations in progress are kept by [`crate::authorise`].
//!
//! An embed session's authorisation starts at our own begin address
//! (`/api/oauth/begin/{key}`), which binds the popup that opens it and
//! sends it on to the provider: its way back must come from that popup.

use conduit_types::draft::{self, AuthoriseMode, AuthoriseRequest, AuthoriseStart, InstanceDraft};
use conduit_types::{FieldError, Id, InstanceSettings, TestOutcome, Timestamp};

use super::accept::{accept, method, Accepted};
use super::secrets::connection_fields;
use crate::auth::{self, SESSION_COOKIE};
use crate::authorise::{random_token, Authorisation, Starter, PER_COMPANY};
use crate::config::Config;
use crate::engine::oauth::{consent_url, endpoint, Consent};
use crate::engine::{CodeGrant, EngineError, OAuthTokens, TestInput, TestRun};
use crate::error::{ApiResult, AppError};
use crate::store::SessionUser;
use crate::AppState;

pub const CALLBACK_PATH: &str = "/api/oauth/callback";
/// Where an embed session's authorisation window starts (and a key follows).
pub const BEGIN_PATH: &str = "/api/oauth/begin/";

pub const NEEDS_AUTHORISING: &str = "This authentication method is checked by authorising with the provider, \
     not by a connection test.";
pub const NOT_AUTHORISATION_CODE: &str =
    "This authentication method does not sign in through the provider: test the connection instead.";
pub const DENIED: &str = "You denied access at the provider. Nothing was saved.";
pub const UNKNOWN_STATE: &str = "This link back from the provider is not valid, or was already used. Nothing \
     changed. Start authorising again from the instance's settings page.";
pub const OTHER_BROWSER: &str = "Finish authorising in the browser where you started it, signed in as the same \
     user. Nothing changed.";
pub const NOT_OPENABLE: &str = "This link to the provider was already opened, or is no longer valid. Nothing \
     changed. Start authorising again from the instance's settings.";
pub const EMBED_IN_A_WINDOW: &str = "An embedded session authorises with the provider in a popup or a new window, \
     not by leaving the page.";
pub const AUTHORISED: &str =
    "The provider authorised conduit and the connection works. Save the instance's settings to keep it.";
pub const RECONNECT: &str = "The provider no longer accepts the saved authorisation. Reconnect the instance: \
     authorise with the provider again, then save.";

/// The address providers send people back to, to be registered with them.
pub fn callback_url(config: &Config) -> String {
    format!("{}{}{CALLBACK_PATH}", config.public_origin(), config.base_path)
}

/// The begin address of an embed session's authorisation window.
pub fn begin_url(config: &Config, key: &str) -> String {
    format!("{}{}{BEGIN_PATH}{key}", config.public_origin(), config.base_path)
}

/// Checks `request`'s draft as a test would, keeps it in memory as an
/// authorisation in progress and answers the address the consent page
/// opens at: the provider's, or for an embed session (`embed`) our begin
/// address, which binds the window that opens it.
pub async fn start(state: &AppState, user: &SessionUser, id: Id, request: &AuthoriseRequest, embed: bool) -> ApiResult<AuthoriseStart> {
    if embed && request.mode != AuthoriseMode::Popup {
        return Err(AppError::Refused(EMBED_IN_A_WINDOW.to_owned()));
    }
    let accepted = accept(state, user, id, request.base_version, &request.draft).await?;
    let target = Target { instance_id: id, base_version: request.base_version, new_of: None };
    begin(state, user, &accepted, target, request, embed).await
}

/// What an authorisation is for: a draft of an instance from a version, or
/// (`new_of`, with no instance and version 0) a new instance's draft of a
/// connector.
pub(super) struct Target {
    pub instance_id: Id,
    pub base_version: i64,
    pub new_of: Option<Id>,
}

/// [`start`] once the draft is accepted for `target`.
pub(super) async fn begin(
    state: &AppState,
    user: &SessionUser,
    accepted: &Accepted,
    target: Target,
    request: &AuthoriseRequest,
    embed: bool,
) -> ApiResult<AuthoriseStart> {
    let draft = &request.draft;
    let id = target.instance_id;
    let stored = &accepted.stored;
    let saved = &stored.settings;
    let method = method(saved, draft)?;
    if !method.kind.needs_user_step() {
        return Err(AppError::Refused(NOT_AUTHORISATION_CODE.to_owned()));
    }
    let fields = connection_fields(stored, method, draft);
    let variables = &draft.details.variables;
    let field = |key: &str| fields.0.get(key).map(String::as_str).filter(|v| !v.trim().is_empty());
    let authorize_url = endpoint(method.settings.authorize_url.as_deref(), field("authorize_url"), variables)
        .ok_or_else(|| refused("authorize_url", "Enter the authorisation URL as a full http or https address."))?;
    endpoint(method.settings.token_url.as_deref(), field("token_url"), variables)
        .ok_or_else(|| refused("token_url", "Enter the token URL as a full http or https address."))?;
    let client_id = field("client_id").ok_or_else(|| refused("client_id", "Enter the client id."))?.trim().to_owned();
    let scope = field("scope").or_else(|| field("scopes")).map(str::to_owned);

    let code_verifier = random_token();
    let redirect_uri = callback_url(&state.config);
    let authorisation = Authorisation {
        company_id: user.company_id,
        user_id: user.user_id,
        acting_as: user.acting_as.clone(),
        instance_id: id,
        base_version: target.base_version,
        new_of: target.new_of,
        mode: request.mode,
        draft: draft.clone(),
        input: TestInput {
            definition: saved.connector.definition.clone(),
            variables: variables.clone(),
            auth_method: method.key.clone(),
            fields,
            // The draft's certificates take part in the test after consent.
            tls: accepted.tls(draft),
            oauth_tokens: None,
        },
        code_verifier: code_verifier.clone(),
        redirect_uri: redirect_uri.clone(),
        created_at: state.clock.now(),
    };
    let (authorisation, oauth_state) = state.authorisations.start(authorisation).ok_or_else(|| {
        AppError::TooManyRequests(format!(
            "Your company has {PER_COMPANY} authorisations in progress. Finish or cancel one, or wait 15 minutes, \
             then try again."
        ))
    })?;
    let consent = Consent {
        client_id: &client_id,
        redirect_uri: &redirect_uri,
        scope: scope.as_deref(),
        scope_separator: method.settings.scope_separator.as_deref().unwrap_or(" "),
        state: &oauth_state,
        code_verifier: &code_verifier,
    };
    let url: String = consent_url(authorize_url, &consent).into();
    tracing::info!(instance_id = id, user_id = user.user_id, mode = ?request.mode, embed, "started authorising");
    if !embed {
        return Ok(AuthoriseStart { authorisation, url });
    }
    let key = state.authorisations.through_window(&authorisation, url).ok_or_else(|| AppError::not_found("authorisation"))?;
    Ok(AuthoriseStart { url: begin_url(&state.config, &key), authorisation })
}

fn refused(field: &str, message: &str) -> AppError {
    AppError::Validation(vec![FieldError { field: draft::auth_field(field), message: message.to_owned() }])
}

/// What the provider's link back carries (the first of each parameter).
#[derive(Default)]
pub struct CallbackQuery {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
}

/// Why the link back from the provider changed nothing.
#[derive(Debug)]
pub enum CallbackRefused {
    /// No authorisation in progress has this `state` (or it was used).
    UnknownState,
    /// The browser is not signed in as the user who started authorising.
    OtherBrowser,
    /// Who is signed in could not be found out.
    Failed(AppError),
}

/// How the link back ended, for the page the person sees.
#[derive(Debug)]
pub struct Finished {
    pub authorisation: String,
    pub instance_id: Id,
    pub mode: AuthoriseMode,
    /// The outcome in words.
    pub message: String,
    /// The window binding's cookie, no longer needed.
    pub window_cookie: Option<String>,
}

/// The step after consent. The authorisation is found by `state` (once),
/// and only the browser that started it may complete it (`cookie` reads the
/// request's cookies by name): the one signed in as the user who started
/// it, or for an embed session the window that opened its begin address.
/// Then the code is exchanged and the new tokens tested, and the
/// authorisation records how that went.
pub async fn finish(
    state: &AppState,
    query: &CallbackQuery,
    cookie: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<Finished, CallbackRefused> {
    let Some(oauth_state) = query.state.as_deref().filter(|s| !s.is_empty()) else {
        return Err(CallbackRefused::UnknownState);
    };
    match state.authorisations.starter(oauth_state, cookie) {
        None => return Err(CallbackRefused::UnknownState),
        Some(Starter::Window { opener: true }) => {}
        Some(Starter::Window { opener: false }) => return Err(CallbackRefused::OtherBrowser),
        Some(Starter::User(owner)) => match auth::signed_in(&state.store, cookie(SESSION_COOKIE).as_deref()).await {
            Ok(Some(user)) if user.user_id == owner => {}
            Ok(_) => return Err(CallbackRefused::OtherBrowser),
            Err(e) => return Err(CallbackRefused::Failed(e)),
        },
    }
    let Some(job) = state.authorisations.take(oauth_state) else {
        return Err(CallbackRefused::UnknownState);
    };

    let outcome = match (query.error.as_deref(), query.code.as_deref()) {
        (Some(error), _) => Err(provider_error(error)),
        (None, Some(code)) if !code.is_empty() => {
            let grant = CodeGrant {
                code: code.to_owned(),
                redirect_uri: job.redirect_uri.clone(),
                code_verifier: job.code_verifier.clone(),
            };
            match state.engine.test_code(job.company_id, &job.input, &grant).await {
                Ok(run) => {
                    if let Err(e) = state.store.record_test(job.company_id, job.instance_id, job.user_id, &run.result).await {
                        tracing::error!(error = %format!("{e:#}"), "could not record an authorisation's test");
                    }
                    tokens_of(run)
                }
                Err(e @ EngineError::Busy) => Err(format!("{e} Nothing was saved.")),
            }
        }
        _ => Err("The provider sent no authorisation code. Nothing was saved. Authorise again.".to_owned()),
    };
    tracing::info!(instance_id = job.instance_id, user_id = job.user_id, authorised = outcome.is_ok(), "authorisation callback");
    let message = match &outcome {
        Ok(_) => AUTHORISED.to_owned(),
        Err(message) => message.clone(),
    };
    state.authorisations.finish(&job.id, outcome);
    Ok(Finished { authorisation: job.id, instance_id: job.instance_id, mode: job.mode, message, window_cookie: job.window_cookie })
}

/// The tokens of a passing test with new tokens, or the test's sentence.
fn tokens_of(run: TestRun) -> Result<OAuthTokens, String> {
    match (run.result.outcome, run.refreshed_tokens) {
        (TestOutcome::Ok, Some(tokens)) => Ok(tokens),
        _ => Err(format!("{} Nothing was saved.", run.result.message)),
    }
}

/// The provider's `error` answer in words; only the codes RFC 6749 defines
/// are repeated.
fn provider_error(code: &str) -> String {
    const KNOWN: [&str; 6] = [
        "invalid_request",
        "unauthorized_client",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
    ];
    if code == "access_denied" {
        DENIED.to_owned()
    } else if let Some(code) = KNOWN.into_iter().find(|k| *k == code) {
        format!("The provider did not authorise the connection ({code}). Nothing was saved.")
    } else {
        "The provider did not authorise the connection. Nothing was saved.".to_owned()
    }
}

// -- saved tokens in connection tests -------------------------------------------------

/// The saved tokens a test of `draft` uses, with when they were authorised:
/// only for a draft that keeps the saved connection. Without them such a
/// method cannot be tested.
pub async fn saved_tokens(
    state: &AppState,
    user: &SessionUser,
    saved: &InstanceSettings,
    draft: &InstanceDraft,
) -> ApiResult<(OAuthTokens, Timestamp)> {
    if draft::changes_connection(saved, draft) {
        return Err(AppError::Refused(NEEDS_AUTHORISING.to_owned()));
    }
    state
        .store
        .oauth_tokens(user.company_id, saved.id)
        .await?
        .ok_or_else(|| AppError::Refused(NEEDS_AUTHORISING.to_owned()))
}

/// After a test with saved tokens: keeps renewed tokens, and answers
/// whether the instance needs reconnecting (the provider refused the tokens
/// or their renewal), saying so in the result.
pub async fn after_test(
    state: &AppState,
    company_id: Id,
    id: Id,
    authorised_at: Timestamp,
    run: &mut TestRun,
) -> ApiResult<bool> {
    if let Some(tokens) = &run.refreshed_tokens {
        state.store.renew_oauth_tokens(company_id, id, authorised_at, tokens).await?;
    }
    Ok(needs_reconnecting(run))
}

/// Whether the provider refused the saved tokens (or their renewal) in
/// `run`; if so the result says to reconnect.
fn needs_reconnecting(run: &mut TestRun) -> bool {
    let result = &mut run.result;
    if result.outcome != TestOutcome::AuthRejected {
        return false;
    }
    result.message = format!("{} {RECONNECT}", result.message);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use conduit_types::TestResult;

    fn run(outcome: TestOutcome, tokens: Option<OAuthTokens>) -> TestRun {
        let result = TestResult {
            outcome,
            message: "The provider said no.".into(),
            steps: vec![],
            http_status: None,
            duration_ms: 1,
            fix: None,
        };
        TestRun { result, refreshed_tokens: tokens }
    }

    fn tokens() -> OAuthTokens {
        OAuthTokens { access_token: "a".into(), refresh_token: None, expires_at: None, scope: None }
    }

    #[test]
    fn only_a_passing_test_with_new_tokens_authorises() {
        assert_eq!(tokens_of(run(TestOutcome::Ok, Some(tokens()))).unwrap().access_token, "a");
        assert_eq!(tokens_of(run(TestOutcome::Ok, None)).unwrap_err(), "The provider said no. Nothing was saved.");
        assert_eq!(
            tokens_of(run(TestOutcome::AuthRejected, Some(tokens()))).unwrap_err(),
            "The provider said no. Nothing was saved."
        );
    }

    #[test]
    fn only_the_providers_standard_error_codes_are_repeated() {
        assert_eq!(provider_error("access_denied"), DENIED);
        assert_eq!(
            provider_error("invalid_scope"),
            "The provider did not authorise the connection (invalid_scope). Nothing was saved."
        );
        assert_eq!(
            provider_error("<script>alert(1)</script>"),
            "The provider did not authorise the connection. Nothing was saved."
        );
    }

    #[test]
    fn a_refused_token_means_reconnecting_and_says_so() {
        let mut refused = run(TestOutcome::AuthRejected, None);
        assert!(needs_reconnecting(&mut refused));
        assert_eq!(refused.result.message, format!("The provider said no. {RECONNECT}"));
        let mut unreachable = run(TestOutcome::Connect, None);
        assert!(!needs_reconnecting(&mut unreachable));
        assert_eq!(unreachable.result.message, "The provider said no.");
    }

    #[test]
    fn the_callback_address_is_under_the_public_url() {
        let config = Config::for_tests(std::path::PathBuf::from("unused"));
        let url = callback_url(&config);
        assert!(url.ends_with("/api/oauth/callback") && url.starts_with("http"), "{url}");
        let mut config = Config::for_tests(std::path::PathBuf::from("unused"));
        config.public_url = Some("https://portal.example".to_owned());
        config.base_path = "/conduit".to_owned();
        assert_eq!(callback_url(&config), "https://portal.example/conduit/api/oauth/callback");
        assert_eq!(begin_url(&config, "k1"), "https://portal.example/conduit/api/oauth/begin/k1");
    }
}
