//! The `instance settings` editor: one draft for all three tabs, and the
//! rules of the page around it — which errors show where, what marks a tab,
//! when `save instance settings` is allowed and why not, and what a test or
//! save answer does to the draft.
//!
//! Plain Rust, tested without a browser. The rules about the draft itself
//! (validation, what changed, what touches the connection) come from
//! [`conduit_types::draft`], the same code the server enforces; this module
//! only adds what belongs to the page: form text that is not yet a value,
//! which fields the user has touched, the last test and its receipt.

use conduit_types::draft::{
    self, auth_field, changed_fields, keepable_secret, variable_field, AuthorisationState,
    AuthorisationStatus, AuthoriseMode, AuthoriseRequest, AuthoriseStart, CertificateDraft,
    CertificateUpload, DraftField, InstanceDraft, SaveRequest, Section, TestDraftRequest,
    TestDraftResponse, FIELD_AUTHORISATION, FIELD_AUTH_METHOD, FIELD_CERTIFICATE, FIELD_CERT_CA,
    FIELD_CERT_PASSPHRASE, FIELD_CERT_PKCS12, FIELD_CERT_PRIVATE_KEY, FIELD_CONNECTION_POOL,
    FIELD_DATE_FORMAT, FIELD_NAME, FIELD_RATE_LIMIT, FIELD_TIME_ZONE,
};
use conduit_types::{
    AuthMethodDef, CertificateState, ErrorCode, FieldError, InstanceSettings, InstanceStatus,
    RateLimit, RateLimitUnit, StoredCertificates, TestOutcome, TestResult, Timestamp,
};

use crate::api::ApiError;
use crate::tabs::{SettingsTab, TabMark};

pub use conduit_types::draft::{parse_rate_limit, RateLimitInput, RATE_LIMIT_NOT_A_NUMBER};

/// Why `save instance settings` is not available, in the order the page
/// checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Testing,
    Saving,
    /// Someone else saved the instance after this draft was started.
    Conflict,
    Unchanged,
    Invalid,
    /// Waiting for the user at the provider's consent page.
    Authorising,
    /// The draft changes a connection that is checked by authorising at the
    /// provider, and this draft has not been authorised.
    NeedsAuthorisation,
    /// The draft changes the connection and this connection has not passed a test.
    NeedsTest,
}

impl Block {
    /// The sentence shown beside the save button.
    pub fn sentence(self) -> &'static str {
        match self {
            Block::Testing => "Testing the connection: save once the test has finished.",
            Block::Saving => "Saving the instance settings…",
            Block::Conflict => {
                "Someone else saved this instance: reload saved settings before saving again."
            }
            Block::Unchanged => "Nothing to save yet: no setting has changed.",
            Block::Invalid => "Fix the fields marked in red before saving.",
            Block::Authorising => "Authorising with the provider: save once it has finished.",
            Block::NeedsAuthorisation => {
                "These changes affect the connection: authorise with the provider, and save once it has authorised."
            }
            Block::NeedsTest => {
                "These changes affect the connection: test instance connection, and save once the test passes."
            }
        }
    }
}

/// Why there is no connection test for a method that needs the user to
/// authorise at the provider.
pub const NO_TEST_NOTE: &str = "This instance uses OAuth 2 (authorisation code): its credentials \
     are checked when you authorise with the provider, so there is no connection test.";

/// Said when the provider's window was closed (or authorising cancelled)
/// before it finished.
pub const AUTHORISING_CANCELLED: &str = "Authorising was cancelled before the provider answered: nothing was saved.";

/// How authorising with the provider is going.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authorising {
    /// Waiting for the user at the provider (`id` once the server has
    /// started it). `draft` is what is being authorised.
    Waiting { id: Option<String>, draft: InstanceDraft },
    /// The provider gave tokens for `draft`; saving keeps them. `granted`
    /// is the scopes the provider says it granted, when it says.
    Authorised { id: String, draft: InstanceDraft, expires_at: Timestamp, granted: Option<String> },
    /// Denied, cancelled or refused: the sentence says which.
    Failed(String),
}

/// What the user chose for a stored secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretChoice {
    Keep,
    Replace,
    Clear,
}

impl SecretChoice {
    pub const ALL: [SecretChoice; 3] = [
        SecretChoice::Keep,
        SecretChoice::Replace,
        SecretChoice::Clear,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SecretChoice::Keep => "keep the stored value",
            SecretChoice::Replace => "replace",
            SecretChoice::Clear => "clear",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            SecretChoice::Keep => "keep",
            SecretChoice::Replace => "replace",
            SecretChoice::Clear => "clear",
        }
    }
}

/// What is going on right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    Idle,
    /// A test is running since this time (milliseconds since the epoch).
    Testing {
        started_ms: u64,
    },
    Saving,
    /// Waiting for the user at the provider's consent page.
    Authorising,
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

/// The instance was saved elsewhere after this draft was started.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Conflict {
    /// Who saved, and when.
    sentence: String,
    /// The labels of the fields the saves since the draft's version changed.
    changed: Vec<String>,
    /// The next load of the saved settings re-applies the draft's edits.
    reapply: bool,
}

/// A draft whose connection passed a test, with the server's receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Passed {
    draft: InstanceDraft,
    receipt: String,
}

/// The page's whole state of editing one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editor {
    saved: InstanceSettings,
    draft: InstanceDraft,
    /// Counts resets to saved settings, so views can start over from them.
    generation: u32,
    rate_limit_text: String,
    rate_limit_unit: RateLimitUnit,
    rate_limit_bad: bool,
    /// Fields the user has edited: their validation errors show. (A short
    /// list; a set type would only add code to the bundle.)
    touched: Vec<String>,
    /// A test or save was attempted: every validation error shows.
    attempted: bool,
    /// The server's complaints, by field, until that field is edited.
    server_errors: Vec<FieldError>,
    passed: Option<Passed>,
    activity: Activity,
    test_ticket: u32,
    last_test: Option<TestReport>,
    conflict: Option<Conflict>,
    test_required: Option<String>,
    problem: Option<String>,
    saved_notice: bool,
    /// The certificates tab's upload form, before the server has read it.
    certificate_form: crate::upload::CertificateForm,
    /// What the server read from the draft's uploaded certificate.
    certificate_preview: Option<StoredCertificates>,
    reading_certificate: bool,
    authorising: Option<Authorising>,
    /// The draft came back from a full-page authorisation: its replaced
    /// secrets are held by the server's copy, not by the page.
    secrets_held: bool,
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
            test_ticket: 0,
            last_test: None,
            conflict: None,
            test_required: None,
            problem: None,
            saved_notice: false,
            certificate_form: Default::default(),
            certificate_preview: None,
            reading_certificate: false,
            authorising: None,
            secrets_held: false,
            saved,
        }
    }

    /// Starts over from `saved` (after a save, or reloading the server's
    /// version), dropping the draft and everything known about it.
    pub fn reset(&mut self, saved: InstanceSettings) {
        let generation = self.generation + 1;
        let ticket = self.test_ticket + 1;
        *self = Editor::new(saved);
        self.generation = generation;
        self.test_ticket = ticket;
    }

    // ------------------------------------------------------------ reading

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

    pub fn activity(&self) -> Activity {
        self.activity
    }

    pub fn last_test(&self) -> Option<&TestReport> {
        self.last_test.as_ref()
    }

    /// The sentence naming who saved the instance in between, after a conflict.
    pub fn conflict(&self) -> Option<&str> {
        self.conflict.as_ref().map(|c| c.sentence.as_str())
    }

    /// After a conflict: the fields the draft changed that the other saves
    /// changed too (empty when the edits are to other fields).
    pub fn conflict_clashes(&self) -> Vec<String> {
        self.conflict
            .as_ref()
            .map(|c| crate::conflict::clashes(&self.saved, &self.draft, &c.changed))
            .unwrap_or_default()
    }

    /// `re-apply my changes`: the next saved settings loaded (see
    /// [`Editor::reloaded`]) get the draft's edits on top.
    pub fn want_reapply(&mut self) {
        if let Some(conflict) = &mut self.conflict {
            conflict.reapply = true;
        }
    }

    /// The saved settings, loaded again: after `re-apply my changes` the
    /// draft's edits go on top of them (and need a new test if they touch
    /// the connection, as any edit does); otherwise the draft starts over
    /// from them.
    pub fn reloaded(&mut self, theirs: InstanceSettings) {
        if !self.conflict.as_ref().is_some_and(|c| c.reapply) {
            return self.reset(theirs);
        }
        let draft = crate::conflict::rebase(&self.saved, &self.draft, &theirs);
        let rate_limit_mine = self.rate_limit_bad || self.draft.details.rate_limit != self.saved.details.rate_limit;
        let rate_limit = (self.rate_limit_text.clone(), self.rate_limit_unit, self.rate_limit_bad);
        let form = std::mem::take(&mut self.certificate_form);
        let preview = self.certificate_preview.take();
        let touched = std::mem::take(&mut self.touched);
        self.reset(theirs);
        self.draft = draft;
        if rate_limit_mine {
            (self.rate_limit_text, self.rate_limit_unit, self.rate_limit_bad) = rate_limit;
        }
        self.certificate_form = form;
        self.certificate_preview = preview;
        self.touched = touched;
    }

    /// `discard changes`: the draft returns to the saved settings, and
    /// everything about it goes (errors, test results and receipts, the
    /// upload form, authorising). Returns an authorisation the server still
    /// holds for the dropped draft, to cancel there. Nothing happens while
    /// a test, save or authorisation is under way.
    pub fn discard(&mut self) -> Option<String> {
        if self.activity != Activity::Idle {
            return None;
        }
        let authorisation = match &self.authorising {
            Some(Authorising::Authorised { id, .. }) => Some(id.clone()),
            _ => None,
        };
        self.reset(self.saved.clone());
        authorisation
    }

    /// The server's sentence when a save needed a (new) passing test.
    pub fn test_required(&self) -> Option<&str> {
        self.test_required.as_deref()
    }

    /// Why the last save or reload failed, when it was not about fields.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Whether to announce that the settings were saved.
    pub fn saved_notice(&self) -> bool {
        self.saved_notice
    }

    /// The authentication method the draft uses, if the connector has it.
    pub fn method(&self) -> Option<&AuthMethodDef> {
        self.saved
            .connector
            .definition
            .auth_method(&self.draft.authentication.method)
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
            || !changed_fields(&self.saved, &self.draft).is_empty()
            || !self.certificate_form.is_empty()
            || matches!(self.authorising, Some(Authorising::Authorised { .. }))
    }

    /// Whether the saved settings hold a value for secret field `key` that
    /// the draft's method can keep.
    pub fn secret_stored(&self, key: &str) -> bool {
        keepable_secret(&self.saved, &self.draft, key)
    }

    /// What the draft does with secret field `key`.
    pub fn secret_choice(&self, key: &str) -> SecretChoice {
        match self.draft.authentication.fields.get(key) {
            Some(DraftField::Replace { .. }) => SecretChoice::Replace,
            Some(DraftField::Clear) => SecretChoice::Clear,
            _ => SecretChoice::Keep,
        }
    }

    /// The text of a plain authentication field, or a secret's new value.
    pub fn auth_value(&self, key: &str) -> &str {
        match self.draft.authentication.fields.get(key) {
            Some(DraftField::Plain { value }) | Some(DraftField::Replace { value }) => value,
            _ => "",
        }
    }

    /// Every problem with the draft, in page order: the form's own (text
    /// that is not a value), the shared validation, and the server's
    /// complaints (which win for their field until it is edited).
    pub fn errors(&self) -> Vec<FieldError> {
        // `validate` answers in page order; the rest is put in its place.
        let mut errors = draft::validate(&self.saved, &self.draft);
        if self.secrets_held {
            // The server holds the values this draft replaced them with.
            errors.retain(|e| !self.is_replaced_secret(&e.field));
        }
        let mut put =
            |field: &str, message: &str| match errors.iter_mut().find(|e| e.field == field) {
                Some(error) => message.clone_into(&mut error.message),
                None => {
                    let rank = field_rank(field);
                    let at = errors
                        .iter()
                        .position(|e| field_rank(&e.field) > rank)
                        .unwrap_or(errors.len());
                    errors.insert(
                        at,
                        FieldError {
                            field: field.to_owned(),
                            message: message.to_owned(),
                        },
                    );
                }
            };
        if self.rate_limit_bad {
            put(FIELD_RATE_LIMIT, RATE_LIMIT_NOT_A_NUMBER);
        }
        for error in &self.server_errors {
            put(&error.field, &error.message);
        }
        errors
    }

    /// The errors shown now: the server's, those of fields the user has
    /// edited, every one after a test or save was attempted, and a kept
    /// secret that can no longer be kept (another field made it so).
    pub fn visible_errors(&self) -> Vec<FieldError> {
        self.errors()
            .into_iter()
            .filter(|e| {
                self.attempted
                    || self.touched.contains(&e.field)
                    || self.server_errors.iter().any(|s| s.field == e.field)
                    || self.keeps_stored_secret(&e.field)
            })
            .collect()
    }

    fn is_replaced_secret(&self, field: &str) -> bool {
        field.strip_prefix("authentication.").is_some_and(|key| {
            matches!(self.draft.authentication.fields.get(key), Some(DraftField::Replace { .. }))
        })
    }

    fn keeps_stored_secret(&self, field: &str) -> bool {
        field.strip_prefix("authentication.").is_some_and(|key| {
            self.secret_stored(key)
                && self
                    .draft
                    .authentication
                    .fields
                    .get(key)
                    .is_some_and(DraftField::keeps)
        })
    }

    /// The problems listed by the buttons while they keep save disabled:
    /// every error, whether its field shows it yet or not (a field the user
    /// has not reached, on this tab or another), so a disabled save never
    /// points at nothing.
    pub fn problems(&self) -> Vec<FieldError> {
        if self.gate() == Err(Block::Invalid) {
            self.errors()
        } else {
            vec![]
        }
    }

    /// What marks each tab: unsaved edits, and errors shown on it or listed
    /// as problems.
    pub fn tab_marks(&self) -> [TabMark; 3] {
        let mut marks = [TabMark::default(); 3];
        for change in changed_fields(&self.saved, &self.draft) {
            marks[tab_of(change.section).index()].unsaved = true;
        }
        if self.rate_limit_bad {
            marks[SettingsTab::Details.index()].unsaved = true;
        }
        for error in self.visible_errors().into_iter().chain(self.problems()) {
            marks[tab_of(section_of(&error.field)).index()].errors = true;
        }
        marks
    }

    /// Whether `save instance settings` may save now, or why not.
    pub fn gate(&self) -> Result<(), Block> {
        match self.activity {
            Activity::Testing { .. } => return Err(Block::Testing),
            Activity::Saving => return Err(Block::Saving),
            Activity::Authorising => return Err(Block::Authorising),
            Activity::Idle => {}
        }
        if self.conflict.is_some() {
            return Err(Block::Conflict);
        }
        let changed = changed_fields(&self.saved, &self.draft);
        let authorised = self.authorisation().is_some();
        if changed.is_empty() && !self.rate_limit_bad && !authorised {
            return Err(Block::Unchanged);
        }
        if !self.errors().is_empty() {
            return Err(Block::Invalid);
        }
        if changed.iter().any(|c| c.connection) {
            if !self.can_test() {
                return if authorised { Ok(()) } else { Err(Block::NeedsAuthorisation) };
            }
            let tested = self
                .passed
                .as_ref()
                .is_some_and(|p| p.draft.connection() == self.draft.connection());
            if !tested {
                return Err(Block::NeedsTest);
            }
        }
        Ok(())
    }

    // -------------------------------------------------------------- edits

    fn edited(&mut self, field: &str) {
        if field.starts_with("authentication.") || field.starts_with("variables.") {
            // A value the user enters now is theirs to send again.
            self.secrets_held = false;
        }
        if !self.touched.iter().any(|t| t == field) {
            self.touched.push(field.to_owned());
        }
        self.server_errors.retain(|e| e.field != field);
        self.saved_notice = false;
        self.problem = None;
    }

    pub fn set_name(&mut self, name: String) {
        self.draft.details.name = name;
        self.edited(FIELD_NAME);
    }

    pub fn set_time_zone(&mut self, zone: String) {
        self.draft.details.time_zone = zone;
        self.edited(FIELD_TIME_ZONE);
    }

    pub fn set_date_format(&mut self, format: String) {
        self.draft.details.date_format = format;
        self.edited(FIELD_DATE_FORMAT);
    }

    /// The rate limit's text changed. The text is kept as typed, whatever
    /// it is; only a whole number (or nothing) becomes the draft's value.
    pub fn set_rate_limit_text(&mut self, text: String) {
        let input = parse_rate_limit(&text);
        self.rate_limit_text = text;
        self.rate_limit_bad = input == RateLimitInput::NotANumber;
        match input {
            RateLimitInput::NoLimit => self.draft.details.rate_limit = None,
            RateLimitInput::Amount(amount) => {
                self.draft.details.rate_limit = Some(RateLimit {
                    amount,
                    unit: self.rate_limit_unit,
                })
            }
            RateLimitInput::NotANumber => {}
        }
        self.edited(FIELD_RATE_LIMIT);
    }

    pub fn set_rate_limit_unit(&mut self, unit: RateLimitUnit) {
        self.rate_limit_unit = unit;
        if let Some(limit) = &mut self.draft.details.rate_limit {
            limit.unit = unit;
        }
        self.edited(FIELD_RATE_LIMIT);
    }

    /// `""` is no pool.
    pub fn set_connection_pool(&mut self, pool: String) {
        self.draft.details.connection_pool = (!pool.is_empty()).then_some(pool);
        self.edited(FIELD_CONNECTION_POOL);
    }

    /// An emptied variable leaves the draft (the rules read a missing one as
    /// empty), so putting a value back as it was gives the same connection.
    pub fn set_variable(&mut self, key: &str, value: String) {
        if value.is_empty() {
            self.draft.details.variables.remove(key);
        } else {
            self.draft.details.variables.insert(key.to_owned(), value);
        }
        self.edited(&variable_field(key));
    }

    /// Switches the authentication method (its fields start over).
    pub fn choose_method(&mut self, method: &str) {
        self.draft.choose_method(&self.saved, method);
        let is_auth = |key: &String| key.starts_with("authentication.");
        self.touched.retain(|key| !is_auth(key));
        self.server_errors.retain(|e| !is_auth(&e.field));
        self.edited(FIELD_AUTH_METHOD);
    }

    pub fn set_plain(&mut self, key: &str, value: String) {
        self.draft
            .authentication
            .fields
            .insert(key.to_owned(), DraftField::Plain { value });
        self.edited(&auth_field(key));
    }

    /// Keep, replace or clear a stored secret. Choosing `replace` starts an
    /// empty new value and waits for the user to type before complaining.
    pub fn set_secret_choice(&mut self, key: &str, choice: SecretChoice) {
        let field = match choice {
            SecretChoice::Keep => DraftField::Keep,
            SecretChoice::Clear => DraftField::Clear,
            SecretChoice::Replace => DraftField::Replace {
                value: String::new(),
            },
        };
        let fields = &mut self.draft.authentication.fields;
        if choice == SecretChoice::Replace
            && matches!(fields.get(key), Some(DraftField::Replace { .. }))
        {
            return;
        }
        fields.insert(key.to_owned(), field);
        let field = auth_field(key);
        if choice == SecretChoice::Replace {
            self.server_errors.retain(|e| e.field != field);
            self.touched.retain(|t| *t != field);
            self.saved_notice = false;
        } else {
            self.edited(&field);
        }
    }

    /// The new value of a secret. Without a stored value, emptying the box
    /// leaves the secret unset.
    pub fn set_secret_value(&mut self, key: &str, value: String) {
        let field = if !value.is_empty() || self.secret_stored(key) {
            DraftField::Replace { value }
        } else if self.saved.authentication.method == self.draft.authentication.method {
            DraftField::Keep
        } else {
            DraftField::Clear
        };
        self.draft
            .authentication
            .fields
            .insert(key.to_owned(), field);
        self.edited(&auth_field(key));
    }

    /// Remove the stored client certificate when saving, or not.
    pub fn set_certificate_removal(&mut self, remove: bool) {
        self.draft.certificate = if remove {
            CertificateDraft::Remove
        } else {
            CertificateDraft::Keep
        };
        self.certificate_preview = None;
        self.edited(FIELD_CERTIFICATE);
    }

    pub fn removes_certificate(&self) -> bool {
        self.draft.certificate == CertificateDraft::Remove
            && self.saved.certificate != CertificateState::None
    }

    /// Remove only the stored trusted CA when saving (a client certificate
    /// stays), or not.
    pub fn set_ca_removal(&mut self, remove: bool) {
        self.draft.certificate = if remove {
            CertificateDraft::RemoveCa
        } else {
            CertificateDraft::Keep
        };
        self.certificate_preview = None;
        self.edited(FIELD_CERT_CA);
    }

    /// Whether saving removes the stored trusted CA (alone or with the rest).
    pub fn removes_ca(&self) -> bool {
        let stored_ca = self.saved.certificate.stored().is_some_and(|s| s.ca.is_some());
        stored_ca && matches!(self.draft.certificate, CertificateDraft::Remove | CertificateDraft::RemoveCa)
    }

    /// The upload form, as the user left it.
    pub fn certificate_form(&self) -> &crate::upload::CertificateForm {
        &self.certificate_form
    }

    /// Edits the upload form; `field` is the error key of what changed.
    pub fn edit_certificate_form(&mut self, field: &str, edit: impl FnOnce(&mut crate::upload::CertificateForm)) {
        edit(&mut self.certificate_form);
        self.edited(field);
    }

    /// What the server read from the draft's new certificate, if it has one.
    pub fn certificate_preview(&self) -> Option<&StoredCertificates> {
        match self.draft.certificate {
            CertificateDraft::Upload(_) => self.certificate_preview.as_ref(),
            _ => None,
        }
    }

    pub fn reading_certificate(&self) -> bool {
        self.reading_certificate
    }

    /// `read certificate`: the upload to send for the server to read, or
    /// `None` (busy, or parts missing, which now show at their fields).
    pub fn begin_read_certificate(&mut self) -> Option<CertificateUpload> {
        if self.reading_certificate {
            return None;
        }
        let missing = self.certificate_form.missing();
        if !missing.is_empty() {
            self.clear_certificate_errors();
            self.server_errors.extend(missing);
            return None;
        }
        self.reading_certificate = true;
        Some(self.certificate_form.upload())
    }

    /// The server's reading of `upload`: on success the draft takes it (to
    /// be tested, then saved) and the form empties; otherwise each problem
    /// shows at its field.
    pub fn finish_read_certificate(
        &mut self,
        upload: CertificateUpload,
        answer: Result<StoredCertificates, ApiError>,
    ) {
        if !self.reading_certificate {
            return;
        }
        self.reading_certificate = false;
        match answer {
            Ok(info) => {
                self.clear_certificate_errors();
                self.draft.certificate = CertificateDraft::Upload(upload);
                self.certificate_preview = Some(info);
                self.certificate_form = Default::default();
                self.edited(FIELD_CERTIFICATE);
            }
            Err(error) => {
                let fields = match &error {
                    ApiError::Server { body, .. } if !body.fields.is_empty() => body.fields.clone(),
                    _ => vec![FieldError {
                        field: FIELD_CERTIFICATE.to_owned(),
                        message: error.to_string(),
                    }],
                };
                self.clear_certificate_errors();
                self.server_errors.extend(fields);
            }
        }
    }

    /// Forgets what was said about the upload form's fields.
    fn clear_certificate_errors(&mut self) {
        self.server_errors.retain(|e| section_of(&e.field) != Section::Certificates);
    }

    /// Drops an uploaded (not yet saved) certificate: the stored one stays.
    pub fn discard_certificate_upload(&mut self) {
        self.draft.certificate = CertificateDraft::Keep;
        self.certificate_preview = None;
        self.edited(FIELD_CERTIFICATE);
    }

    // -------------------------------------------------------- authorising

    pub fn authorising(&self) -> Option<&Authorising> {
        self.authorising.as_ref()
    }

    /// The completed authorisation of exactly this draft's connection.
    fn authorisation(&self) -> Option<&str> {
        match &self.authorising {
            Some(Authorising::Authorised { id, draft, .. }) if draft.connection() == self.draft.connection() => {
                Some(id)
            }
            _ => None,
        }
    }

    /// `reconnect` when the saved method already holds tokens, else `authorise`.
    pub fn authorise_label(&self) -> &'static str {
        let same_method = self.saved.authentication.method == self.draft.authentication.method;
        if same_method && self.saved.authentication.authorised_at.is_some() {
            "reconnect"
        } else {
            "authorise"
        }
    }

    /// Whether the saved instance needs authorising again (its refresh failed).
    pub fn needs_reconnecting(&self) -> bool {
        self.saved.status == InstanceStatus::NeedsReconnecting
    }

    /// `authorise`: the request that starts authorising this draft, or
    /// `None` (busy, a method that is tested instead, or fields to fix,
    /// which now show).
    pub fn begin_authorise(&mut self, mode: AuthoriseMode) -> Option<AuthoriseRequest> {
        if self.activity != Activity::Idle || self.can_test() {
            return None;
        }
        self.attempted = true;
        self.saved_notice = false;
        self.problem = None;
        if !self.errors().is_empty() {
            return None;
        }
        self.activity = Activity::Authorising;
        self.authorising = Some(Authorising::Waiting { id: None, draft: self.draft.clone() });
        Some(AuthoriseRequest {
            base_version: self.saved.version,
            draft: self.draft.clone(),
            mode,
        })
    }

    /// The server's answer to starting: the consent page's address to
    /// open, or `None` when it refused (the reason now shows).
    pub fn authorise_started(&mut self, answer: Result<AuthoriseStart, ApiError>) -> Option<String> {
        let Some(Authorising::Waiting { id, .. }) = &mut self.authorising else {
            return None;
        };
        match answer {
            Ok(start) => {
                *id = Some(start.authorisation);
                Some(start.url)
            }
            Err(error) => {
                self.activity = Activity::Idle;
                let sentence = error.to_string();
                self.authorising = (!self.take_error(&error)).then_some(Authorising::Failed(sentence));
                None
            }
        }
    }

    /// The authorisation being waited for, once the server has started it.
    pub fn waiting_for(&self) -> Option<&str> {
        match &self.authorising {
            Some(Authorising::Waiting { id, .. }) => id.as_deref(),
            _ => None,
        }
    }

    /// What `GET /api/authorisations/{id}` said about authorisation `id`.
    /// Returns whether it is still pending (keep asking).
    pub fn authorisation_update(&mut self, id: &str, answer: Result<AuthorisationStatus, ApiError>) -> bool {
        if self.waiting_for() != Some(id) {
            return false;
        }
        let Some(Authorising::Waiting { draft, .. }) = self.authorising.take() else {
            return false;
        };
        let state = answer.map(|status| status.state);
        self.authorising = Some(match state {
            Ok(AuthorisationState::Pending) => {
                self.authorising = Some(Authorising::Waiting { id: Some(id.to_owned()), draft });
                return true;
            }
            Ok(AuthorisationState::Authorised { expires_at, granted_scope }) => {
                self.server_errors.retain(|e| e.field != FIELD_AUTHORISATION);
                Authorising::Authorised { id: id.to_owned(), draft, expires_at, granted: granted_scope }
            }
            Ok(AuthorisationState::Failed { message }) => Authorising::Failed(message),
            Err(error) => Authorising::Failed(error.to_string()),
        });
        self.activity = Activity::Idle;
        false
    }

    /// The provider's window was closed, or `cancel` was pressed, before
    /// the provider answered. Returns the authorisation to drop on the server.
    pub fn abandon_authorising(&mut self) -> Option<String> {
        let Some(Authorising::Waiting { id, .. }) = self.authorising.take() else {
            return None;
        };
        self.activity = Activity::Idle;
        self.authorising = Some(Authorising::Failed(AUTHORISING_CANCELLED.to_owned()));
        id
    }

    /// Back from a full-page authorisation: the draft it authorised becomes
    /// the page's draft again, with what the provider said.
    pub fn restore_authorisation(&mut self, id: &str, status: AuthorisationStatus) {
        if status.base_version != self.saved.version || self.activity != Activity::Idle {
            return;
        }
        self.draft = status.draft.clone();
        self.secrets_held = true;
        self.activity = Activity::Authorising;
        self.authorising = Some(Authorising::Waiting { id: Some(id.to_owned()), draft: status.draft.clone() });
        let state = match status.state {
            // The provider sends the user back only once it has answered.
            AuthorisationState::Pending => AuthorisationState::Failed { message: AUTHORISING_CANCELLED.to_owned() },
            state => state,
        };
        self.authorisation_update(id, Ok(AuthorisationStatus { state, ..status }));
    }

    // -------------------------------------------------------------- tests

    /// Starts `test instance connection`: the request to send, and the
    /// ticket its answer comes back with. `None` when nothing is sent
    /// (busy, a method without tests, or fields to fix, which now show).
    pub fn begin_test(&mut self, now_ms: u64) -> Option<(u32, TestDraftRequest)> {
        if self.activity != Activity::Idle || !self.can_test() {
            return None;
        }
        self.attempted = true;
        self.saved_notice = false;
        self.problem = None;
        self.last_test = None;
        if !self.errors().is_empty() {
            return None;
        }
        self.test_ticket += 1;
        self.activity = Activity::Testing { started_ms: now_ms };
        Some((
            self.test_ticket,
            TestDraftRequest {
                base_version: self.saved.version,
                draft: self.draft.clone(),
            },
        ))
    }

    /// `cancel test`: the answer, if one still comes, is ignored.
    pub fn cancel_test(&mut self) {
        if let Activity::Testing { .. } = self.activity {
            self.activity = Activity::Idle;
            self.test_ticket += 1;
            self.last_test = Some(TestReport::Cancelled);
        }
    }

    /// The answer to the test with `ticket`, which tested `tested`.
    pub fn finish_test(
        &mut self,
        ticket: u32,
        tested: InstanceDraft,
        answer: Result<TestDraftResponse, ApiError>,
    ) {
        if ticket != self.test_ticket || !matches!(self.activity, Activity::Testing { .. }) {
            return;
        }
        self.activity = Activity::Idle;
        match answer {
            Ok(TestDraftResponse { result, receipt, status }) => {
                if let Some(status) = status {
                    // The test was of the saved connection: it says how
                    // the instance is doing now.
                    self.saved.status = status;
                }
                if let (TestOutcome::Ok, Some(receipt)) = (result.outcome, receipt) {
                    self.passed = Some(Passed {
                        draft: tested,
                        receipt: receipt.token,
                    });
                    self.test_required = None;
                }
                self.last_test = Some(TestReport::Finished(result));
            }
            Err(ApiError::Cancelled) => self.last_test = Some(TestReport::Cancelled),
            Err(error) => {
                self.take_error(&error);
                self.last_test = Some(TestReport::NotRun(error.to_string()));
            }
        }
    }

    /// Field errors and conflicts from an answer; `true` if it had either.
    fn take_error(&mut self, error: &ApiError) -> bool {
        let ApiError::Server { body, .. } = error else {
            return false;
        };
        match body.code {
            ErrorCode::Validation => {
                self.attempted = true;
                self.server_errors.clone_from(&body.fields);
                true
            }
            ErrorCode::Conflict => {
                self.conflict = Some(match &body.conflict {
                    Some(info) => Conflict {
                        sentence: crate::conflict::sentence(&info.saved_by, info.saved_at, info.by_you),
                        changed: info.changed.clone(),
                        reapply: false,
                    },
                    None => Conflict { sentence: body.message.clone(), changed: vec![], reapply: false },
                });
                true
            }
            _ => false,
        }
    }

    // --------------------------------------------------------------- save

    /// A click on `save instance settings`: every error shows from now on.
    /// Returns whether saving may go ahead.
    pub fn attempt_save(&mut self) -> Result<(), Block> {
        self.attempted = true;
        self.gate()
    }

    /// Starts saving: the request to send, or `None` when save is blocked.
    pub fn begin_save(&mut self) -> Option<SaveRequest> {
        self.attempted = true;
        self.gate().ok()?;
        let authorisation = self.authorisation().map(str::to_owned);
        let receipt = self
            .passed
            .as_ref()
            .filter(|_| authorisation.is_none() && draft::changes_connection(&self.saved, &self.draft))
            .map(|p| p.receipt.clone());
        self.activity = Activity::Saving;
        self.problem = None;
        self.saved_notice = false;
        Some(SaveRequest {
            base_version: self.saved.version,
            draft: self.draft.clone(),
            receipt,
            authorisation,
        })
    }

    /// The answer to a save: the saved settings become the new start, or
    /// the error goes where it belongs (fields, the conflict alert, the
    /// sentence by the save button).
    pub fn finish_save(&mut self, answer: Result<InstanceSettings, ApiError>) {
        if self.activity != Activity::Saving {
            return;
        }
        self.activity = Activity::Idle;
        match answer {
            Ok(saved) => {
                self.reset(saved);
                self.saved_notice = true;
            }
            Err(error) if error.code() == Some(ErrorCode::TestRequired) => {
                self.passed = None;
                self.authorising = None;
                self.test_required = Some(error.to_string());
            }
            Err(error) => {
                if !self.take_error(&error) {
                    self.problem = Some(error.to_string());
                }
            }
        }
    }

    /// Loading the saved settings again failed.
    pub fn reload_failed(&mut self, error: &ApiError) {
        self.problem = Some(format!("The saved settings could not be loaded. {error}"));
    }
}

/// Which part of the page an error key belongs to.
pub fn section_of(field: &str) -> Section {
    if matches!(
        field,
        FIELD_CERTIFICATE | FIELD_CERT_PRIVATE_KEY | FIELD_CERT_PASSPHRASE | FIELD_CERT_PKCS12 | FIELD_CERT_CA
    ) {
        Section::Certificates
    } else if field == FIELD_AUTHORISATION {
        Section::Authentication
    } else if field.starts_with("authentication.") {
        Section::Authentication
    } else {
        Section::Details
    }
}

/// The tab that shows a section.
pub fn tab_of(section: Section) -> SettingsTab {
    match section {
        Section::Details => SettingsTab::Details,
        Section::Authentication => SettingsTab::Authentication,
        Section::Certificates => SettingsTab::Certificates,
    }
}

/// Orders error keys as the fields appear on the page.
fn field_rank(field: &str) -> u8 {
    match field {
        FIELD_NAME => 0,
        FIELD_TIME_ZONE => 1,
        FIELD_DATE_FORMAT => 2,
        FIELD_RATE_LIMIT => 3,
        FIELD_CONNECTION_POOL => 4,
        FIELD_AUTH_METHOD => 6,
        FIELD_AUTHORISATION => 8,
        FIELD_CERTIFICATE | FIELD_CERT_PKCS12 => 9,
        FIELD_CERT_PRIVATE_KEY => 10,
        FIELD_CERT_PASSPHRASE => 11,
        FIELD_CERT_CA => 12,
        f if f.starts_with("variables.") => 5,
        f if f.starts_with("authentication.") => 7,
        _ => 13,
    }
}

/// The element id of the control for an error key, e.g. `field-variables-store`.
pub fn field_id(field: &str) -> String {
    let mut id = String::from("field-");
    id.extend(field.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

/// The element id of the error message under a field.
pub fn error_id(field: &str) -> String {
    field_id(field) + "-error"
}

#[cfg(test)]
mod tests {
    use super::*;
    use conduit_types::draft::{CertificateDraft, TestReceipt};
    use conduit_types::{
        AuthFieldValue, AuthKind, AuthSettings, ConflictInfo, ConnectorDefinition, ConnectorRef, ErrorBody,
        FieldDef, InstanceAuthentication, InstanceDetails, InstanceStatus, Placement,
        TestRequestDef,
    };

    fn field(key: &str, label: &str, secret: bool, placement: Placement) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: label.into(),
            help: None,
            secret,
            required: true,
            placement,
            destination: false,
            choices: vec![],
            kind: Default::default(),
        }
    }

    fn method(key: &str, kind: AuthKind, fields: Vec<FieldDef>) -> AuthMethodDef {
        AuthMethodDef {
            key: key.into(),
            label: key.replace('_', " "),
            kind,
            fields,
            settings: AuthSettings::default(),
        }
    }

    fn saved() -> InstanceSettings {
        let header = |name: &str| Placement::Header {
            name: name.into(),
            prefix: None,
        };
        InstanceSettings {
            id: 7,
            version: 3,
            connector: ConnectorRef {
                id: 1,
                name: "Shopify".into(),
                definition: ConnectorDefinition {
                    base_url: "https://{{store}}.example/api".into(),
                    variables: vec![
                        field("store", "store name", false, Placement::Url),
                        FieldDef {
                            required: false,
                            ..field("region", "region", false, header("X-Region"))
                        },
                    ],
                    auth_methods: vec![
                        method(
                            "access_token",
                            AuthKind::Token,
                            vec![field("token", "token", true, header("X-Token"))],
                        ),
                        method(
                            "oauth_app",
                            AuthKind::Oauth2AuthorisationCode,
                            vec![
                                field("client_id", "client id", false, Placement::Auth),
                                field("client_secret", "client secret", true, Placement::Auth),
                            ],
                        ),
                    ],
                    test_request: TestRequestDef {
                        method: "GET".into(),
                        path: "/shop".into(),
                        expected_statuses: vec![200],
                    },
                },
            },
            details: InstanceDetails {
                name: "Shopify - UK".into(),
                time_zone: "Europe/London".into(),
                date_format: "Y-m-d H:i:s".into(),
                rate_limit: Some(RateLimit {
                    amount: 60,
                    unit: RateLimitUnit::Minute,
                }),
                connection_pool: None,
                variables: [("store".to_string(), "acme-uk".to_string())].into(),
            },
            authentication: InstanceAuthentication {
                method: "access_token".into(),
                fields: [("token".to_string(), AuthFieldValue::Secret { is_set: true })].into(),
                authorised_at: None,
            },
            certificate: CertificateState::Stored(stored_certificates()),
            status: InstanceStatus::Operational,
            process_flows: vec![],
            connection_pools: vec!["bulk".into()],
            oauth_callback_url: None,
        }
    }

    fn stored_certificates() -> StoredCertificates {
        StoredCertificates {
            client: Some(conduit_types::CertificateInfo {
                subject: "CN=acme".into(),
                issuer: "CN=acme CA".into(),
                subject_alt_names: vec!["acme.example".into()],
                not_before: 1_700_000_000,
                not_after: 1_900_000_000,
                sha256_fingerprint: "AB:CD".into(),
                key_type: "ECDSA P-256".into(),
            }),
            ca: None,
        }
    }

    fn passed_result() -> TestResult {
        TestResult {
            outcome: TestOutcome::Ok,
            message: "The credentials were accepted.".into(),
            steps: vec![],
            http_status: Some(200),
            duration_ms: 120,
            fix: None,
        }
    }

    fn pass(editor: &mut Editor) {
        let (ticket, request) = editor.begin_test(1_000).expect("the test starts");
        editor.finish_test(
            ticket,
            request.draft,
            Ok(TestDraftResponse {
                result: passed_result(),
                receipt: Some(TestReceipt {
                    token: "receipt-1".into(),
                    expires_at: 2_000_000_000,
                }),
                status: None,
            }),
        );
    }

    fn server_error(
        status: u16,
        code: ErrorCode,
        message: &str,
        fields: &[(&str, &str)],
    ) -> ApiError {
        ApiError::Server {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
                fields: fields
                    .iter()
                    .map(|(f, m)| FieldError {
                        field: f.to_string(),
                        message: m.to_string(),
                    })
                    .collect(),
                conflict: None,
            },
        }
    }

    fn visible(editor: &Editor) -> Vec<String> {
        editor
            .visible_errors()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn problems_are_listed_only_while_they_block_save() {
        let mut settings = saved();
        settings
            .authentication
            .fields
            .insert("token".into(), AuthFieldValue::Secret { is_set: false });
        let mut editor = Editor::new(settings);
        // Saved without a required token: nothing to save, so nothing listed.
        assert_eq!(editor.gate(), Err(Block::Unchanged));
        assert_eq!(editor.problems(), vec![]);
        assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
        editor.set_name("Shopify - GB".into());
        assert_eq!(editor.gate(), Err(Block::Invalid));
        assert_eq!(editor.problems()[0].message, "Enter the token.");
        assert!(editor.tab_marks()[1].errors);
    }

    #[test]
    fn every_reason_is_a_sentence() {
        let reasons = [
            (Block::Testing, "Testing the connection: save once the test has finished."),
            (Block::Saving, "Saving the instance settings…"),
            (
                Block::Conflict,
                "Someone else saved this instance: reload saved settings before saving again.",
            ),
            (Block::Unchanged, "Nothing to save yet: no setting has changed."),
            (Block::Invalid, "Fix the fields marked in red before saving."),
            (
                Block::Authorising,
                "Authorising with the provider: save once it has finished.",
            ),
            (
                Block::NeedsAuthorisation,
                "These changes affect the connection: authorise with the provider, and save once it has authorised.",
            ),
            (
                Block::NeedsTest,
                "These changes affect the connection: test instance connection, and save once the test passes.",
            ),
        ];
        for (block, sentence) in reasons {
            assert_eq!(block.sentence(), sentence);
        }
    }

    #[test]
    fn an_unchanged_draft_has_nothing_to_save() {
        let editor = Editor::new(saved());
        assert!(!editor.is_dirty());
        assert_eq!(editor.gate(), Err(Block::Unchanged));
        assert_eq!(
            Block::Unchanged.sentence(),
            "Nothing to save yet: no setting has changed."
        );
        assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
    }

    #[test]
    fn a_details_only_change_saves_without_a_test() {
        let mut editor = Editor::new(saved());
        editor.set_name("Shopify - GB".into());
        assert!(editor.is_dirty());
        assert_eq!(editor.gate(), Ok(()));
        let request = editor.begin_save().expect("save goes ahead");
        assert_eq!(request.base_version, 3);
        assert_eq!(request.receipt, None);
        assert_eq!(request.draft.details.name, "Shopify - GB");
        assert_eq!(editor.gate(), Err(Block::Saving));
    }

    #[test]
    fn an_invalid_draft_says_to_fix_the_fields() {
        let mut editor = Editor::new(saved());
        editor.set_name("   ".into());
        assert_eq!(editor.gate(), Err(Block::Invalid));
        assert_eq!(
            Block::Invalid.sentence(),
            "Fix the fields marked in red before saving."
        );
        assert_eq!(visible(&editor), ["name"]);
        assert_eq!(editor.begin_save(), None);
    }

    #[test]
    fn replacing_a_credential_needs_a_passing_test_of_that_credential() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "new-token".into());
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
        assert_eq!(
            Block::NeedsTest.sentence(),
            "These changes affect the connection: test instance connection, and save once the test passes."
        );

        pass(&mut editor);
        assert_eq!(editor.gate(), Ok(()));
        assert!(
            matches!(editor.last_test(), Some(TestReport::Finished(r)) if r.outcome == TestOutcome::Ok)
        );

        // Renaming after the pass needs no second test: the name is not the connection.
        editor.set_name("Shopify - GB".into());
        assert_eq!(editor.gate(), Ok(()));
        let request = editor.begin_save().unwrap();
        assert_eq!(request.receipt.as_deref(), Some("receipt-1"));
    }

    #[test]
    fn a_connection_edit_after_a_pass_locks_save_again() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "new-token".into());
        pass(&mut editor);
        assert_eq!(editor.gate(), Ok(()));

        editor.set_variable("region", "eu".into());
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
        // Putting the connection back as it was tested unlocks it again.
        editor.set_variable("region", String::new());
        assert_eq!(editor.gate(), Ok(()));
        editor.set_secret_value("token", "another".into());
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
    }

    #[test]
    fn a_failed_test_gives_no_receipt() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "wrong".into());
        let (ticket, request) = editor.begin_test(0).unwrap();
        assert_eq!(editor.gate(), Err(Block::Testing));
        let result = TestResult {
            outcome: TestOutcome::AuthRejected,
            message: "The token was not accepted.".into(),
            ..passed_result()
        };
        editor.finish_test(
            ticket,
            request.draft,
            Ok(TestDraftResponse {
                result,
                receipt: None,
                status: None,
            }),
        );
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
    }

    #[test]
    fn the_authorisation_code_method_has_no_test_and_saves_details_only() {
        let mut settings = saved();
        settings.authentication = InstanceAuthentication {
            method: "oauth_app".into(),
            fields: [
                (
                    "client_id".to_string(),
                    AuthFieldValue::Plain {
                        value: "app".into(),
                    },
                ),
                (
                    "client_secret".to_string(),
                    AuthFieldValue::Secret { is_set: true },
                ),
            ]
            .into(),
            authorised_at: None,
        };
        let mut editor = Editor::new(settings);
        assert!(!editor.can_test());
        assert_eq!(editor.begin_test(0), None);
        editor.set_name("Shopify - GB".into());
        assert_eq!(editor.gate(), Ok(()));
        editor.set_plain("client_id", "app-2".into());
        assert_eq!(editor.gate(), Err(Block::NeedsAuthorisation));
    }

    fn oauth_editor(authorised_at: Option<Timestamp>) -> Editor {
        let mut settings = saved();
        settings.authentication = InstanceAuthentication {
            method: "oauth_app".into(),
            fields: [
                ("client_id".to_string(), AuthFieldValue::Plain { value: "app".into() }),
                ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
            ]
            .into(),
            authorised_at,
        };
        Editor::new(settings)
    }

    fn status(editor: &Editor, state: AuthorisationState) -> AuthorisationStatus {
        AuthorisationStatus {
            instance_id: editor.saved().id,
            base_version: editor.saved().version,
            state,
            draft: editor.draft().clone(),
        }
    }

    fn start(editor: &mut Editor, mode: AuthoriseMode) -> String {
        let request = editor.begin_authorise(mode).expect("authorising starts");
        assert_eq!(request.mode, mode);
        assert_eq!(&request.draft, editor.draft());
        assert_eq!(editor.gate(), Err(Block::Authorising));
        let url = editor.authorise_started(Ok(AuthoriseStart {
            authorisation: "a1".into(),
            url: "https://provider.example/authorize?state=s".into(),
        }));
        assert_eq!(url.as_deref(), Some("https://provider.example/authorize?state=s"));
        "a1".into()
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
        assert_eq!(editor.activity(), Activity::Idle);
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
        assert_eq!(editor.activity(), Activity::Idle);
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
    fn busy_states_block_save_with_their_own_sentence() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        editor.begin_test(5).unwrap();
        assert_eq!(editor.activity(), Activity::Testing { started_ms: 5 });
        assert_eq!(editor.gate(), Err(Block::Testing));
        assert_eq!(editor.begin_test(6), None, "one test at a time");
        assert!(Block::Testing
            .sentence()
            .starts_with("Testing the connection"));
        editor.cancel_test();
        editor.set_name("x".into());
        editor.set_secret_choice("token", SecretChoice::Keep);
        editor.begin_save().unwrap();
        assert_eq!(editor.gate(), Err(Block::Saving));
    }

    #[test]
    fn a_cancelled_test_ignores_its_late_answer() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        let (ticket, request) = editor.begin_test(0).unwrap();
        editor.cancel_test();
        assert_eq!(editor.last_test(), Some(&TestReport::Cancelled));
        assert_eq!(editor.activity(), Activity::Idle);
        editor.finish_test(
            ticket,
            request.draft,
            Ok(TestDraftResponse {
                result: passed_result(),
                receipt: Some(TestReceipt {
                    token: "late".into(),
                    expires_at: 0,
                }),
                status: None,
            }),
        );
        assert_eq!(editor.last_test(), Some(&TestReport::Cancelled));
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
    }

    #[test]
    fn rate_limit_problems_are_sentences_at_the_field() {
        let message = |editor: &Editor| {
            editor
                .visible_errors()
                .into_iter()
                .find(|e| e.field == FIELD_RATE_LIMIT)
                .map(|e| e.message)
        };
        let mut editor = Editor::new(saved());

        editor.set_rate_limit_text(String::new());
        assert_eq!(editor.draft().details.rate_limit, None);
        assert_eq!(message(&editor), None);
        assert_eq!(editor.gate(), Ok(()), "no limit is a valid change");

        editor.set_rate_limit_text("0".into());
        let zero = message(&editor).expect("0 is refused");
        assert!(zero.contains("from 1 to 1000000"), "{zero}");
        assert!(zero.ends_with('.'));

        editor.set_rate_limit_text("abc".into());
        assert_eq!(message(&editor).as_deref(), Some(RATE_LIMIT_NOT_A_NUMBER));
        assert_eq!(editor.gate(), Err(Block::Invalid));
        // The form's own error takes its place in page order.
        editor.set_name(String::new());
        editor.set_connection_pool("elsewhere".into());
        assert_eq!(visible(&editor), ["name", "rate_limit", "connection_pool"]);
        editor.set_name("Shopify - UK".into());
        editor.set_connection_pool(String::new());

        // Letters typed after a number stay in the box, block save, and do
        // not turn into "no rate limit": the draft keeps its last value.
        editor.set_rate_limit_text("12".into());
        editor.set_rate_limit_text("12a".into());
        assert_eq!(editor.rate_limit_text(), "12a");
        assert_eq!(message(&editor).as_deref(), Some(RATE_LIMIT_NOT_A_NUMBER));
        assert_eq!(editor.gate(), Err(Block::Invalid));
        assert_eq!(
            editor.draft().details.rate_limit.map(|l| l.amount),
            Some(12)
        );

        editor.set_rate_limit_text("5000000000".into());
        let large = message(&editor).expect("too large is refused");
        assert!(large.contains("from 1 to 1000000"), "{large}");

        editor.set_rate_limit_text("120".into());
        editor.set_rate_limit_unit(RateLimitUnit::Hour);
        assert_eq!(message(&editor), None);
        assert_eq!(
            editor.draft().details.rate_limit,
            Some(RateLimit {
                amount: 120,
                unit: RateLimitUnit::Hour
            })
        );
    }

    #[test]
    fn bad_rate_limit_text_alone_counts_as_an_unsaved_edit() {
        let mut settings = saved();
        settings.details.rate_limit = None;
        let mut editor = Editor::new(settings);
        editor.set_rate_limit_text("x".into());
        assert!(editor.is_dirty());
        assert_eq!(editor.gate(), Err(Block::Invalid));
        assert!(editor.tab_marks()[0].unsaved);
    }

    #[test]
    fn errors_show_once_touched_or_after_an_attempt() {
        let mut editor = Editor::new(saved());
        editor.choose_method("oauth_app");
        // The new method's empty fields are wrong, but the user has not got
        // to them yet: the fields wait, the list by the buttons has them.
        assert_eq!(editor.gate(), Err(Block::Invalid));
        assert_eq!(visible(&editor), Vec::<String>::new());
        let listed: Vec<String> = editor.problems().into_iter().map(|e| e.field).collect();
        assert_eq!(
            listed,
            ["authentication.client_id", "authentication.client_secret"]
        );
        assert!(editor.tab_marks()[1].errors);
        editor.set_plain("client_id", String::new());
        assert_eq!(visible(&editor), ["authentication.client_id"]);
        editor.attempt_save().unwrap_err();
        assert_eq!(
            visible(&editor),
            ["authentication.client_id", "authentication.client_secret"]
        );
    }

    #[test]
    fn a_test_with_fields_to_fix_is_not_sent_and_shows_them() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        assert_eq!(
            visible(&editor),
            Vec::<String>::new(),
            "no nagging before typing"
        );
        assert_eq!(editor.begin_test(0), None);
        assert_eq!(visible(&editor), ["authentication.token"]);
        assert_eq!(editor.activity(), Activity::Idle);
    }

    #[test]
    fn a_kept_secret_that_a_new_address_makes_unusable_shows_at_once() {
        let mut editor = Editor::new(saved());
        editor.set_variable("store", "elsewhere".into());
        assert_eq!(visible(&editor), ["authentication.token"]);
        let marks = editor.tab_marks();
        assert!(marks[0].unsaved && !marks[0].errors);
        assert!(!marks[1].unsaved && marks[1].errors);
    }

    #[test]
    fn server_field_errors_show_until_their_field_is_edited() {
        let mut editor = Editor::new(saved());
        editor.set_name("Shopify - GB".into());
        editor.begin_save().unwrap();
        editor.finish_save(Err(server_error(
            422,
            ErrorCode::Validation,
            "Some fields need attention.",
            &[
                ("name", "Another instance already has this name."),
                ("variables.store", "No store answers at this name."),
            ],
        )));
        assert_eq!(editor.activity(), Activity::Idle);
        let errors = editor.visible_errors();
        assert_eq!(errors[0].message, "Another instance already has this name.");
        assert_eq!(errors[1].field, "variables.store");
        assert_eq!(editor.gate(), Err(Block::Invalid));
        assert!(editor.tab_marks()[0].errors);

        editor.set_name("Shopify - Great Britain".into());
        assert_eq!(visible(&editor), ["variables.store"]);
        editor.set_variable("store", "acme-uk".into());
        assert_eq!(visible(&editor), Vec::<String>::new());
        assert_eq!(editor.gate(), Ok(()));
    }

    #[test]
    fn test_validation_errors_go_to_the_fields() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        let (ticket, request) = editor.begin_test(0).unwrap();
        editor.finish_test(
            ticket,
            request.draft,
            Err(server_error(
                422,
                ErrorCode::Validation,
                "Some fields need attention.",
                &[("authentication.token", "The token has an unexpected form.")],
            )),
        );
        assert_eq!(visible(&editor), ["authentication.token"]);
        assert!(editor.tab_marks()[1].errors);
        assert_eq!(
            editor.last_test(),
            Some(&TestReport::NotRun("Some fields need attention.".into()))
        );
    }

    #[test]
    fn too_many_tests_is_said_as_the_servers_sentence() {
        let mut editor = Editor::new(saved());
        let (ticket, request) = editor.begin_test(0).unwrap();
        editor.finish_test(
            ticket,
            request.draft,
            Err(server_error(
                429,
                ErrorCode::TooManyRequests,
                "Your company is already running several tests. Try again in a moment.",
                &[],
            )),
        );
        assert_eq!(
            editor.last_test(),
            Some(&TestReport::NotRun(
                "Your company is already running several tests. Try again in a moment.".into()
            ))
        );
    }

    #[test]
    fn test_required_locks_save_until_a_new_pass() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        pass(&mut editor);
        editor.begin_save().unwrap();
        editor.finish_save(Err(server_error(
            422,
            ErrorCode::TestRequired,
            "The connection test has expired: test instance connection again.",
            &[],
        )));
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
        assert_eq!(
            editor.test_required(),
            Some("The connection test has expired: test instance connection again.")
        );
        pass(&mut editor);
        assert_eq!(editor.test_required(), None);
        assert_eq!(editor.gate(), Ok(()));
    }

    #[test]
    fn a_conflict_names_who_saved_and_keeps_the_edits() {
        let mut editor = Editor::new(saved());
        editor.set_name("Shopify - GB".into());
        editor.begin_save().unwrap();
        let mut error = server_error(409, ErrorCode::Conflict, "Someone else saved.", &[]);
        if let ApiError::Server { body, .. } = &mut error {
            body.conflict = Some(ConflictInfo {
                saved_by: "Grace Hopper".into(),
                // 14:02 UTC
                saved_at: 1_773_324_120,
                version: 4,
                by_you: false,
                changed: vec!["name".into()],
            });
        }
        editor.finish_save(Err(error));
        assert_eq!(
            editor.conflict(),
            Some("Grace Hopper saved this instance at 14:02, after you started editing.")
        );
        assert_eq!(editor.draft().details.name, "Shopify - GB");
        assert!(editor.is_dirty());
        assert_eq!(editor.gate(), Err(Block::Conflict));

        let mut theirs = saved();
        theirs.version = 4;
        theirs.details.name = "Shopify - United Kingdom".into();
        editor.reset(theirs);
        assert_eq!(editor.conflict(), None);
        assert!(!editor.is_dirty());
        assert_eq!(editor.saved().version, 4);
        assert_eq!(editor.generation(), 1);
    }

    #[test]
    fn reapplying_after_a_conflict_puts_the_edits_on_the_new_version() {
        let mut editor = Editor::new(saved());
        editor.set_name("Shopify - GB".into());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "new-token".into());
        pass(&mut editor);
        editor.begin_save().unwrap();
        let mut error = server_error(409, ErrorCode::Conflict, "You saved this instance elsewhere.", &[]);
        if let ApiError::Server { body, .. } = &mut error {
            body.conflict = Some(ConflictInfo {
                saved_by: "Ada Lovelace".into(),
                saved_at: 1_773_324_120,
                version: 4,
                by_you: true,
                changed: vec!["time zone".into()],
            });
        }
        editor.finish_save(Err(error));
        assert_eq!(
            editor.conflict(),
            Some("You saved this elsewhere (in another tab or window) at 14:02, after this draft was started.")
        );
        assert_eq!(editor.conflict_clashes(), Vec::<String>::new(), "the edits are to other fields");

        let mut theirs = saved();
        theirs.version = 4;
        theirs.details.time_zone = "Europe/Paris".into();
        editor.want_reapply();
        editor.reloaded(theirs);
        assert_eq!(editor.conflict(), None);
        assert_eq!(editor.saved().version, 4);
        assert_eq!(editor.draft().details.name, "Shopify - GB");
        assert_eq!(editor.draft().details.time_zone, "Europe/Paris");
        assert_eq!(editor.secret_choice("token"), SecretChoice::Replace);
        assert_eq!(editor.auth_value("token"), "new-token");
        // The old pass was for the old version: the token needs a new test.
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
        assert_eq!(editor.begin_test(2_000).unwrap().1.base_version, 4);
    }

    #[test]
    fn a_plain_reload_after_a_conflict_drops_the_edits() {
        let mut editor = Editor::new(saved());
        editor.set_name("Shopify - GB".into());
        editor.begin_save().unwrap();
        editor.finish_save(Err(server_error(409, ErrorCode::Conflict, "Someone else saved.", &[])));
        let mut theirs = saved();
        theirs.version = 4;
        editor.reloaded(theirs);
        assert_eq!(editor.draft().details.name, "Shopify - UK");
        assert!(!editor.is_dirty());
    }

    #[test]
    fn discard_returns_the_draft_to_the_saved_settings_and_forgets_its_tests() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        editor.begin_test(1_000).expect("the test starts");
        assert_eq!(editor.discard(), None, "not while the test runs");
        assert!(editor.is_dirty(), "the edits stay");
        editor.cancel_test();
        pass(&mut editor);
        editor.set_name("".into());
        editor.set_rate_limit_text("lots".into());
        editor.set_certificate_removal(true);
        editor.edit_certificate_form(FIELD_CERT_CA, |form| form.ca_pem = "-----BEGIN".into());
        assert!(editor.tab_marks().iter().all(|m| m.unsaved));
        assert!(!editor.visible_errors().is_empty());

        assert_eq!(editor.discard(), None);
        assert_eq!(editor.draft(), &InstanceDraft::from_settings(editor.saved()));
        assert!(!editor.is_dirty());
        assert_eq!(editor.rate_limit_text(), "60");
        assert_eq!(editor.visible_errors(), vec![]);
        assert_eq!(editor.last_test(), None);
        assert!(editor.certificate_form().is_empty());
        assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
        assert_eq!(editor.gate(), Err(Block::Unchanged));
        assert_eq!(editor.generation(), 1, "the fields start over");
        // The passed test went with the draft.
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
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
    fn a_test_of_the_saved_connection_updates_the_saved_status() {
        let mut editor = Editor::new(saved());
        let (ticket, request) = editor.begin_test(1_000).unwrap();
        let mut failed = passed_result();
        failed.outcome = TestOutcome::AuthRejected;
        let answer = TestDraftResponse { result: failed, receipt: None, status: Some(InstanceStatus::FailedAuthentication) };
        editor.finish_test(ticket, request.draft, Ok(answer));
        assert_eq!(editor.saved().status, InstanceStatus::FailedAuthentication);
        assert!(!editor.is_dirty(), "the status is not an edit");
    }

    #[test]
    fn a_successful_save_starts_over_from_the_saved_settings() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        pass(&mut editor);
        editor.begin_save().unwrap();
        let mut new = saved();
        new.version = 4;
        editor.finish_save(Ok(new));
        assert!(editor.saved_notice());
        assert!(!editor.is_dirty());
        assert_eq!(editor.saved().version, 4);
        assert_eq!(editor.last_test(), None);
        assert_eq!(editor.activity(), Activity::Idle);
        // The passed test belonged to the old draft.
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        assert_eq!(editor.gate(), Err(Block::NeedsTest));
        assert!(!editor.saved_notice(), "an edit ends the announcement");
    }

    #[test]
    fn other_save_failures_are_a_sentence_by_the_button() {
        let mut editor = Editor::new(saved());
        editor.set_name("Shopify - GB".into());
        editor.begin_save().unwrap();
        editor.finish_save(Err(ApiError::Unreachable));
        assert_eq!(
            editor.problem(),
            Some("The server could not be reached. Check your connection and try again.")
        );
        assert_eq!(editor.gate(), Ok(()), "saving can be tried again");
    }

    #[test]
    fn tabs_are_marked_by_their_own_edits() {
        let mut editor = Editor::new(saved());
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "t".into());
        let marks = editor.tab_marks();
        assert_eq!(marks.map(|m| m.unsaved), [false, true, false]);
        editor.set_certificate_removal(true);
        assert!(editor.removes_certificate());
        assert_eq!(editor.tab_marks().map(|m| m.unsaved), [false, true, true]);
        editor.set_certificate_removal(false);
        assert_eq!(editor.draft().certificate, CertificateDraft::Keep);
        // The fixture trusts no CA: removing it alone changes nothing.
        editor.set_ca_removal(true);
        assert!(!editor.removes_ca());
        assert_eq!(editor.tab_marks().map(|m| m.unsaved), [false, true, false]);
        editor.set_ca_removal(false);
        editor.set_secret_choice("token", SecretChoice::Keep);
        assert_eq!(editor.tab_marks(), [TabMark::default(); 3]);
    }

    #[test]
    fn secrets_offer_keep_replace_clear_only_when_stored() {
        let mut editor = Editor::new(saved());
        assert!(editor.secret_stored("token"));
        assert_eq!(editor.secret_choice("token"), SecretChoice::Keep);
        editor.set_secret_choice("token", SecretChoice::Replace);
        editor.set_secret_value("token", "abc".into());
        // Choosing replace again keeps what was typed.
        editor.set_secret_choice("token", SecretChoice::Replace);
        assert_eq!(editor.auth_value("token"), "abc");
        editor.set_secret_choice("token", SecretChoice::Clear);
        assert_eq!(
            visible(&editor),
            ["authentication.token"],
            "a required secret"
        );

        // Another method's secrets are not stored: a plain box, empty means unset.
        editor.choose_method("oauth_app");
        assert!(!editor.secret_stored("client_secret"));
        editor.set_secret_value("client_secret", "s".into());
        editor.set_secret_value("client_secret", String::new());
        assert_eq!(
            editor.draft().authentication.fields["client_secret"],
            DraftField::Clear
        );

        let mut unset = saved();
        unset
            .authentication
            .fields
            .insert("token".into(), AuthFieldValue::Secret { is_set: false });
        let mut editor = Editor::new(unset);
        assert!(!editor.secret_stored("token"));
        editor.set_secret_value("token", "t".into());
        editor.set_secret_value("token", String::new());
        assert!(!editor.is_dirty());
    }

    #[test]
    fn error_keys_map_to_tabs_and_element_ids() {
        assert_eq!(section_of("name"), Section::Details);
        assert_eq!(section_of("variables.store"), Section::Details);
        assert_eq!(section_of("authentication.method"), Section::Authentication);
        assert_eq!(section_of("authentication.token"), Section::Authentication);
        assert_eq!(section_of("certificate"), Section::Certificates);
        assert_eq!(tab_of(Section::Certificates), SettingsTab::Certificates);
        assert_eq!(field_id("variables.store"), "field-variables-store");
        assert_eq!(error_id("name"), "field-name-error");
        assert_eq!(field_id("a b\"c"), "field-a-b-c");
    }

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
}
