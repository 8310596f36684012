//! Authorisations in progress: a draft of an instance whose method signs in
//! through the provider (OAuth 2 authorisation code with PKCE), from the
//! moment the user is sent to the provider's consent page until the draft
//! is saved, cancelled or 15 minutes have passed.
//!
//! They are kept in memory only: they hold the draft's secrets and, once
//! authorised, the provider's tokens, which must never be written anywhere
//! unsealed. A restart forgets them; the user authorises again.
//!
//! A dashboard user's way back from the provider must come from the browser
//! signed in as them; an embed session's, from the window that opened its
//! begin address ([`window`]).

mod window;

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use conduit_types::draft::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, CertificateDraft, DraftAuthentication, DraftField, InstanceDraft,
};
use conduit_types::{Id, Timestamp};
use rand::RngCore;

use crate::engine::{OAuthTokens, TestInput};
use crate::clock::Clock;
use crate::store::SessionUser;
use window::Window;

pub use window::{Opened, COOKIE_PREFIX};

/// How long an authorisation may take, from start to save.
pub const LIFETIME_SECS: i64 = 15 * 60;
/// How many authorisations one company may have in progress.
pub const PER_COMPANY: usize = 20;

pub const NOT_VALID: &str =
    "This authorisation is not valid: it has expired, was used or was cancelled. Authorise with the provider \
     again, then save.";
pub const OTHER_SETTINGS: &str =
    "These settings are not the ones that were authorised. Authorise with the provider again, then save.";
pub const NOT_FINISHED: &str = "Authorising with the provider has not finished yet. Finish it, then save.";
pub const DID_NOT_SUCCEED: &str =
    "Authorising with the provider did not succeed, so there is nothing to save. Authorise again, then save.";

/// One authorisation, from the start. Holds secrets: it has no Debug.
pub struct Authorisation {
    pub company_id: Id,
    pub user_id: Id,
    /// Who acts, when not the user themself: an embed session's end user
    /// ("Jane Doe via portal.example"). Only the same may see, cancel or
    /// save the authorisation.
    pub acting_as: Option<String>,
    pub instance_id: Id,
    pub base_version: i64,
    /// For a new instance's draft: the connector it is of (then
    /// `instance_id` and `base_version` are 0).
    pub new_of: Option<Id>,
    pub mode: AuthoriseMode,
    /// The draft as the user sent it, secrets included.
    pub draft: InstanceDraft,
    /// What the connection test needs: the draft's values with its
    /// secrets resolved (kept ones from the store).
    pub input: TestInput,
    pub code_verifier: String,
    pub redirect_uri: String,
    pub created_at: Timestamp,
}

enum Progress {
    /// At the provider's consent page (or back, and being exchanged).
    Pending,
    Authorised(OAuthTokens),
    Failed(String),
}

struct Entry {
    authorisation: Authorisation,
    state: String,
    progress: Progress,
    /// For an embed session: the window the way back must come from.
    window: Option<Window>,
}

impl Entry {
    fn expires_at(&self) -> Timestamp {
        self.authorisation.created_at + LIFETIME_SECS
    }
}

/// What the callback works with once it has taken an authorisation's state.
pub struct Callback {
    pub id: String,
    pub company_id: Id,
    pub user_id: Id,
    pub instance_id: Id,
    pub mode: AuthoriseMode,
    pub input: TestInput,
    pub code_verifier: String,
    pub redirect_uri: String,
    /// The window binding's cookie, which the way back can now drop.
    pub window_cookie: Option<String>,
}

/// Who the way back from the provider must come from.
#[derive(Debug, PartialEq, Eq)]
pub enum Starter {
    /// The browser signed in as this user (the dashboard).
    User(Id),
    /// The window that opened the begin address (an embed session):
    /// whether this request carries its cookie.
    Window { opener: bool },
}

/// A completed authorisation, as a save uses it.
pub struct Authorised {
    /// The authorised draft's authentication, secrets included.
    pub authentication: DraftAuthentication,
    pub tokens: OAuthTokens,
}

/// Every authorisation in progress, by its id, and the `state` sent to the
/// provider for each (used once).
#[derive(Default)]
pub struct Authorisations {
    entries: Mutex<HashMap<String, Entry>>,
    clock: Clock,
}

impl std::fmt::Debug for Authorisations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authorisations(…)")
    }
}

/// A random, URL-safe value of 256 bits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Authorisations {
    /// Authorisations that expire by `clock`.
    pub fn new(clock: Clock) -> Authorisations {
        Authorisations { entries: Mutex::default(), clock }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let now = self.clock.now();
        entries.retain(|_, e| e.expires_at() > now);
        entries
    }

    /// Keeps a new authorisation; answers its id and the `state` for the
    /// provider, or `None` when the company has too many in progress.
    pub fn start(&self, authorisation: Authorisation) -> Option<(String, String)> {
        let mut entries = self.lock();
        let company = authorisation.company_id;
        if entries.values().filter(|e| e.authorisation.company_id == company).count() >= PER_COMPANY {
            return None;
        }
        let (id, state) = (random_token(), random_token());
        entries.insert(id.clone(), Entry { authorisation, state: state.clone(), progress: Progress::Pending, window: None });
        Some((id, state))
    }

    /// Binds authorisation `id` to the window that first opens its begin
    /// address, which sends it on to `consent_url`; answers the address's
    /// one-time key.
    pub fn through_window(&self, id: &str, consent_url: String) -> Option<String> {
        let mut entries = self.lock();
        let entry = entries.get_mut(id)?;
        let window = entry.window.insert(Window::new(consent_url));
        Some(window.begin_key().to_owned())
    }

    /// Opens the begin address `key` (once): the opening window's cookie and
    /// the consent page to send it to.
    pub fn begin(&self, key: &str) -> Option<Opened> {
        let mut entries = self.lock();
        let entry = entries.values_mut().find(|e| e.window.as_ref().is_some_and(|w| w.opens_with(key)))?;
        entry.window.as_mut().map(Window::open)
    }

    /// Who the way back for `state` must come from, if its authorisation is
    /// in progress and the state unused; `cookie` reads the request's
    /// cookies by name.
    pub fn starter(&self, state: &str, cookie: &dyn Fn(&str) -> Option<String>) -> Option<Starter> {
        let entries = self.lock();
        let entry = entries.values().find(|e| !e.state.is_empty() && e.state == state)?;
        Some(match &entry.window {
            None => Starter::User(entry.authorisation.user_id),
            Some(window) => Starter::Window { opener: window.is_opener(cookie) },
        })
    }

    /// Takes the state (it cannot be used again) and answers what the
    /// callback needs.
    pub fn take(&self, state: &str) -> Option<Callback> {
        let mut entries = self.lock();
        let (id, entry) = entries.iter_mut().find(|(_, e)| !e.state.is_empty() && e.state == state)?;
        entry.state.clear();
        let a = &entry.authorisation;
        Some(Callback {
            id: id.clone(),
            company_id: a.company_id,
            user_id: a.user_id,
            instance_id: a.instance_id,
            mode: a.mode,
            input: a.input.clone(),
            code_verifier: a.code_verifier.clone(),
            redirect_uri: a.redirect_uri.clone(),
            window_cookie: entry.window.as_ref().and_then(|w| w.cookie_name()).map(str::to_owned),
        })
    }

    /// Records how the callback ended. An authorisation cancelled meanwhile
    /// stays gone, its tokens dropped.
    pub fn finish(&self, id: &str, outcome: Result<OAuthTokens, String>) {
        if let Some(entry) = self.lock().get_mut(id) {
            entry.progress = match outcome {
                Ok(tokens) => Progress::Authorised(tokens),
                Err(message) => Progress::Failed(message),
            };
        }
    }

    /// Where the authorisation has got to, for the user who started it only
    /// (acting as the same; for an embed session, of `only_instance`).
    pub fn status(&self, id: &str, user: &SessionUser, only_instance: Option<Id>) -> Option<AuthorisationStatus> {
        let entries = self.lock();
        let entry = entries.get(id).filter(|e| asked_by(&e.authorisation, user, only_instance))?;
        let a = &entry.authorisation;
        let state = match &entry.progress {
            Progress::Pending => AuthorisationState::Pending,
            Progress::Authorised(tokens) => {
                AuthorisationState::Authorised { expires_at: entry.expires_at(), granted_scope: tokens.scope.clone() }
            }
            Progress::Failed(message) => AuthorisationState::Failed { message: message.clone() },
        };
        let mut draft = a.draft.clone();
        draft.authentication = without_secrets(&draft.authentication);
        // An uploaded private key is a secret too: it never comes back. (A
        // save after a full-page visit then differs from what was
        // authorised, and the page asks to upload and authorise again.)
        if matches!(draft.certificate, CertificateDraft::Upload(_)) {
            draft.certificate = CertificateDraft::Keep;
        }
        Some(AuthorisationStatus { instance_id: a.instance_id, base_version: a.base_version, state, draft })
    }

    /// Drops every authorisation in progress for the company's instance
    /// (it was deleted): none of them can be saved any more.
    pub fn drop_instance(&self, company_id: Id, instance_id: Id) {
        self.lock().retain(|_, e| !(e.authorisation.company_id == company_id && e.authorisation.instance_id == instance_id));
    }

    /// Drops the authorisation; answers whether the user had one by that id
    /// (as [`Authorisations::status`] finds it).
    pub fn cancel(&self, id: &str, user: &SessionUser, only_instance: Option<Id>) -> bool {
        let mut entries = self.lock();
        if entries.get(id).is_some_and(|e| asked_by(&e.authorisation, user, only_instance)) {
            entries.remove(id);
            true
        } else {
            false
        }
    }

    /// The completed authorisation `id` a save of `draft` may use: the
    /// user's, for this instance and base version, authorised, and of the
    /// same connection settings. Errors are sentences.
    pub fn authorised(
        &self,
        id: &str,
        user: &SessionUser,
        instance_id: Id,
        base_version: i64,
        draft: &InstanceDraft,
    ) -> Result<Authorised, &'static str> {
        let target = |a: &Authorisation| a.new_of.is_none() && a.instance_id == instance_id;
        self.completed(id, user, target, base_version, draft)
    }

    /// The completed authorisation `id` the creation of a new instance of
    /// `connector_id` from `draft` may use: as [`Authorisations::authorised`],
    /// for a new instance's draft of that connector only.
    pub fn authorised_new(
        &self,
        id: &str,
        user: &SessionUser,
        connector_id: Id,
        draft: &InstanceDraft,
    ) -> Result<Authorised, &'static str> {
        self.completed(id, user, |a| a.new_of == Some(connector_id), 0, draft)
    }

    fn completed(
        &self,
        id: &str,
        user: &SessionUser,
        target: impl Fn(&Authorisation) -> bool,
        base_version: i64,
        draft: &InstanceDraft,
    ) -> Result<Authorised, &'static str> {
        let entries = self.lock();
        let entry = entries
            .get(id)
            .filter(|e| owned_by(&e.authorisation, user) && target(&e.authorisation))
            .ok_or(NOT_VALID)?;
        let a = &entry.authorisation;
        let same = a.base_version == base_version
            && a.draft.details.variables == draft.details.variables
            && a.draft.certificate == draft.certificate
            && without_secrets(&a.draft.authentication) == without_secrets(&draft.authentication);
        if !same {
            return Err(OTHER_SETTINGS);
        }
        match &entry.progress {
            Progress::Pending => Err(NOT_FINISHED),
            Progress::Failed(_) => Err(DID_NOT_SUCCEED),
            Progress::Authorised(tokens) => {
                Ok(Authorised { authentication: a.draft.authentication.clone(), tokens: tokens.clone() })
            }
        }
    }

    /// Forgets an authorisation that was saved.
    pub fn consume(&self, id: &str) {
        self.lock().remove(id);
    }
}

fn owned_by(a: &Authorisation, user: &SessionUser) -> bool {
    a.user_id == user.user_id && a.company_id == user.company_id && a.acting_as == user.acting_as
}

fn asked_by(a: &Authorisation, user: &SessionUser, only_instance: Option<Id>) -> bool {
    owned_by(a, user) && only_instance.is_none_or(|id| id == a.instance_id)
}

/// The authentication with the values of replaced secrets left out.
pub fn without_secrets(authentication: &DraftAuthentication) -> DraftAuthentication {
    let mut stripped = authentication.clone();
    for field in stripped.fields.values_mut() {
        if let DraftField::Replace { value } = field {
            value.clear();
        }
    }
    stripped
}
