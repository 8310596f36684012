//! The editor's state: the [`Editor`] struct itself, what is in flight
//! ([`Activity`]) and what is shown ([`Notice`]), and reading them. Each
//! concern's changes live in their own part of `editor/` as `impl Editor`
//! blocks; this leaf module is the one they all share.

use std::collections::BTreeSet;

use conduit_types::Permission;
use conduit_types::draft::{changed_fields, keepable_secret, DraftField, InstanceDraft};
use conduit_types::{
    AuthMethodDef, FieldError, InstanceSettings, RateLimitUnit, StoredCertificates, TestResult, Timestamp,
};

use crate::upload::CertificateForm;

/// What is in flight right now: one thing at a time, carrying what its
/// answer must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Activity {
    Idle,
    /// A test is running since `started_ms` (milliseconds since the epoch);
    /// only the answer with this `ticket` counts.
    Testing { started_ms: u64, ticket: u32 },
    Saving,
    /// Waiting for the user at the provider's consent page (`id` once the
    /// server has started it). `draft` is what is being authorised.
    Authorising { id: Option<String>, draft: Box<InstanceDraft> },
}

/// How the last authorising with the provider ended (while it runs, it is
/// [`Activity::Authorising`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authorising {
    /// The provider gave tokens for `draft`; saving keeps them. `granted`
    /// is the scopes the provider says it granted, when it says.
    Authorised { id: String, draft: InstanceDraft, expires_at: Timestamp, granted: Option<String> },
    /// Denied, cancelled or refused: the sentence says which.
    Failed(String),
}

/// How the last `test instance connection` ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestReport {
    /// The server ran the test: passed or failed.
    Finished(TestResult),
    Cancelled,
    /// The test did not run; the sentence says why.
    NotRun(String),
}

/// What the page says about the draft besides its fields: one thing at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The instance was saved elsewhere after this draft was started.
    Conflict(Conflict),
    /// The server's sentence when a save needed a (new) passing test.
    TestRequired(String),
    /// Why the last save failed, when it was not about fields.
    Problem(String),
    /// The settings were just saved.
    Saved,
}

/// The instance was saved elsewhere after this draft was started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Who saved, and when.
    pub(super) sentence: String,
    /// The labels of the fields the saves since the draft's version changed.
    pub(super) changed: Vec<String>,
    /// The next load of the saved settings re-applies the draft's edits.
    pub(super) reapply: bool,
    /// Why loading the saved settings again failed, if it did.
    pub(super) reload_problem: Option<String>,
}

/// A draft whose connection passed a test, with the server's receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Passed {
    pub(super) draft: InstanceDraft,
    pub(super) receipt: String,
}

/// The page's whole state of editing one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editor {
    pub(super) saved: InstanceSettings,
    pub(super) draft: InstanceDraft,
    /// Counts resets to saved settings, so views can start over from them.
    pub(super) generation: u32,
    pub(super) rate_limit_text: String,
    pub(super) rate_limit_unit: RateLimitUnit,
    pub(super) rate_limit_bad: bool,
    /// Fields the user has edited: their validation errors show. (A short
    /// list; a set type would only add code to the bundle.)
    pub(super) touched: Vec<String>,
    /// A test or save was attempted: every validation error shows.
    pub(super) attempted: bool,
    /// The server's complaints, by field, until that field is edited.
    pub(super) server_errors: Vec<FieldError>,
    pub(super) passed: Option<Passed>,
    pub(super) activity: Activity,
    /// The last test ticket given out (kept across resets, so a late answer
    /// never matches a later test).
    pub(super) tickets: u32,
    pub(super) last_test: Option<TestReport>,
    pub(super) notice: Option<Notice>,
    /// The certificates tab's upload form, before the server has read it.
    pub(super) certificate_form: CertificateForm,
    /// What the server read from the draft's uploaded certificate.
    pub(super) certificate_preview: Option<StoredCertificates>,
    pub(super) reading_certificate: bool,
    pub(super) authorising: Option<Authorising>,
    /// The draft came back from a full-page authorisation: its replaced
    /// secrets are held by the server's copy, not by the page.
    pub(super) secrets_held: bool,
    /// What an embed session may do; `None` for a dashboard user (anything).
    pub(super) limits: Option<BTreeSet<Permission>>,
    /// The provider's consent page, to open by hand while authorising
    /// (an embedded page whose popup the browser blocked).
    pub(super) consent_link: Option<String>,
    /// For a new instance's draft (edited against blank settings): the
    /// draft the page started from, with what its certificate upload holds,
    /// which `discard` returns to.
    pub(super) start: Option<Box<(InstanceDraft, Option<StoredCertificates>)>>,
}

impl Editor {
    /// An editor whose draft equals the saved settings.
    pub fn new(saved: InstanceSettings) -> Editor {
        let draft = InstanceDraft::from_settings(&saved);
        let limit = saved.details.rate_limit;
        Editor {
            draft,
            generation: 0,
            rate_limit_text: limit.map(|l| l.amount.to_string()).unwrap_or_default(),
            rate_limit_unit: limit.map_or(RateLimitUnit::Minute, |l| l.unit),
            rate_limit_bad: false,
            touched: Vec::new(),
            attempted: false,
            server_errors: Vec::new(),
            passed: None,
            activity: Activity::Idle,
            tickets: 0,
            last_test: None,
            notice: None,
            certificate_form: Default::default(),
            certificate_preview: None,
            reading_certificate: false,
            authorising: None,
            secrets_held: false,
            limits: None,
            consent_link: None,
            start: None,
            saved,
        }
    }

    /// Starts over from `saved` (after a save, or reloading the server's
    /// version), dropping the draft and everything known about it.
    pub fn reset(&mut self, saved: InstanceSettings) {
        let generation = self.generation + 1;
        let tickets = self.tickets;
        let limits = self.limits.take();
        *self = Editor::new(saved);
        self.generation = generation;
        self.tickets = tickets;
        self.limits = limits;
    }

    pub fn saved(&self) -> &InstanceSettings {
        &self.saved
    }

    pub fn draft(&self) -> &InstanceDraft {
        &self.draft
    }

    pub fn generation(&self) -> u32 {
        self.generation
    }

    pub fn rate_limit_text(&self) -> &str {
        &self.rate_limit_text
    }

    pub fn rate_limit_unit(&self) -> RateLimitUnit {
        self.rate_limit_unit
    }

    pub fn activity(&self) -> &Activity {
        &self.activity
    }

    pub fn last_test(&self) -> Option<&TestReport> {
        self.last_test.as_ref()
    }

    /// How the last authorising ended, once it has.
    pub fn authorising(&self) -> Option<&Authorising> {
        self.authorising.as_ref()
    }

    /// What the page says besides the fields, if anything.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The sentence naming who saved the instance in between, after a conflict.
    pub fn conflict(&self) -> Option<&str> {
        self.conflict_notice().map(|c| c.sentence.as_str())
    }

    pub(super) fn conflict_notice(&self) -> Option<&Conflict> {
        match &self.notice {
            Some(Notice::Conflict(conflict)) => Some(conflict),
            _ => None,
        }
    }

    /// The server's sentence when a save needed a (new) passing test.
    pub fn test_required(&self) -> Option<&str> {
        match &self.notice {
            Some(Notice::TestRequired(sentence)) => Some(sentence),
            _ => None,
        }
    }

    /// Why the last save or reload failed, when it was not about fields.
    pub fn problem(&self) -> Option<&str> {
        match &self.notice {
            Some(Notice::Problem(sentence)) => Some(sentence),
            Some(Notice::Conflict(conflict)) => conflict.reload_problem.as_deref(),
            _ => None,
        }
    }

    /// Whether to announce that the settings were saved.
    pub fn saved_notice(&self) -> bool {
        self.notice == Some(Notice::Saved)
    }

    /// The announcement that the settings were saved ends.
    pub(super) fn end_saved_notice(&mut self) {
        if self.saved_notice() {
            self.notice = None;
        }
    }

    /// Something new starts: the saved announcement and the last problem
    /// go (a conflict and a needed test stay until they are resolved).
    pub(super) fn quiet(&mut self) {
        match &mut self.notice {
            Some(Notice::Saved | Notice::Problem(_)) => self.notice = None,
            Some(Notice::Conflict(conflict)) => conflict.reload_problem = None,
            _ => {}
        }
    }

    /// The authentication method the draft uses, if the connector has it.
    pub fn method(&self) -> Option<&AuthMethodDef> {
        self.saved.connector.definition.auth_method(&self.draft.authentication.method)
    }

    /// Whether the draft's method is checked by a connection test (rather
    /// than by authorising at the provider).
    pub fn can_test(&self) -> bool {
        self.method().is_none_or(|m| !m.kind.needs_user_step())
    }

    /// Whether the draft differs from the saved settings (including form
    /// text that is not a value yet).
    pub fn is_dirty(&self) -> bool {
        self.rate_limit_bad
            || self.new_draft_changed().unwrap_or_else(|| !changed_fields(&self.saved, &self.draft).is_empty())
            || !self.certificate_form.is_empty()
            || matches!(self.authorising, Some(Authorising::Authorised { .. }))
    }

    /// Whether the saved settings hold a value for secret field `key` that
    /// the draft's method can keep.
    pub fn secret_stored(&self, key: &str) -> bool {
        keepable_secret(&self.saved, &self.draft, key)
    }

    /// The text of a plain authentication field, or a secret's new value.
    pub fn auth_value(&self, key: &str) -> &str {
        match self.draft.authentication.fields.get(key) {
            Some(DraftField::Plain { value }) | Some(DraftField::Replace { value }) => value,
            _ => "",
        }
    }
}
