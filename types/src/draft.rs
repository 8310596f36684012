//! Drafts of an instance's settings, and the rules both sides apply to them.
//!
//! The dashboard edits one [`InstanceDraft`] for the whole `instance settings`
//! page; the server tests and saves exactly that draft. The rules here
//! (validation, what counts as a change to the connection, when kept secrets
//! must be entered again, which fields changed) are the same code on both
//! sides: the browser uses them to guide, the server to enforce.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    AuthFieldValue, FieldDef, FieldError, FieldKind, Id, InstanceDetails, InstanceSettings,
    TestOutcome, TestResult, Timestamp,
};

// ---------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------

/// One authentication field in a draft. A secret is never sent back to the
/// browser, so a draft says what to do with the stored one instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftField {
    /// A field that is not secret, with its value.
    Plain { value: String },
    /// A secret field: keep the stored value (or keep it unset).
    Keep,
    /// A secret field: store this new value.
    Replace { value: String },
    /// A secret field: remove the stored value.
    Clear,
}

impl DraftField {
    /// Whether this secret field asks to keep a stored value.
    pub fn keeps(&self) -> bool {
        matches!(self, DraftField::Keep)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftAuthentication {
    /// The chosen method's key in the connector definition.
    pub method: String,
    #[serde(default)]
    pub fields: BTreeMap<String, DraftField>,
}

/// What the draft does with the instance's certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CertificateDraft {
    #[default]
    Keep,
    /// Remove them all.
    Remove,
    /// Remove only the trusted CA certificate; a client certificate stays.
    RemoveCa,
    /// Replace them (or add them) with these, once saved.
    Upload(CertificateUpload),
}

/// A client certificate with its private key, a CA certificate to trust, or
/// both. `POST /api/certificates/inspect` answers with the
/// [`crate::StoredCertificates`] it would store, or field errors keyed by the
/// `FIELD_CERT_*` names.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateUpload {
    /// The client certificate and key; none for a CA alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityUpload>,
    /// PEM text of a CA certificate to trust besides the system's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate_pem: Option<String>,
}

/// The client certificate and its private key, in one of two formats.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum IdentityUpload {
    /// PEM text: the certificate (chain), and the private key, which may be
    /// encrypted (then `passphrase` decrypts it).
    Pem {
        certificate_pem: String,
        private_key_pem: String,
        #[serde(default)]
        passphrase: String,
    },
    /// A PKCS#12 (.p12, .pfx) archive, base64-encoded, and its passphrase.
    Pkcs12 {
        pkcs12_base64: String,
        #[serde(default)]
        passphrase: String,
    },
}

/// Names what was uploaded, never the key or passphrase.
impl std::fmt::Debug for CertificateUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let format = match self.identity {
            Some(IdentityUpload::Pem { .. }) => "pem",
            Some(IdentityUpload::Pkcs12 { .. }) => "pkcs12",
            None => "ca only",
        };
        f.debug_struct("CertificateUpload")
            .field("format", &format)
            .field("ca", &self.ca_certificate_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// The whole `instance settings` page's edits: all three tabs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceDraft {
    pub details: InstanceDetails,
    pub authentication: DraftAuthentication,
    #[serde(default)]
    pub certificate: CertificateDraft,
}

/// The part of a draft that decides how the connection is made. A test
/// receipt is bound to this part only, so renaming an instance after a
/// passing test needs no second test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectionDraft<'a> {
    pub variables: &'a BTreeMap<String, String>,
    pub authentication: &'a DraftAuthentication,
    pub certificate: &'a CertificateDraft,
}

/// `POST /api/instances/{id}/test`: test a draft; nothing is saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDraftRequest {
    /// The version of the instance the draft started from.
    pub base_version: i64,
    pub draft: InstanceDraft,
}

/// Proof, signed by the server, that a draft's connection passed a test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestReceipt {
    /// Opaque to the browser; handed back with the save.
    pub token: String,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDraftResponse {
    pub result: TestResult,
    /// Present when the test passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<TestReceipt>,
    /// The instance's status after this test: present when the draft's
    /// connection was the saved one, so the test also told how the saved
    /// instance is doing (and recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::InstanceStatus>,
}

/// `PUT /api/instances/{id}`: save a draft. Answers with the saved
/// [`InstanceSettings`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveRequest {
    pub base_version: i64,
    pub draft: InstanceDraft,
    /// `TestReceipt::token` of a passing test of this draft; needed when the
    /// draft changes the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// `AuthoriseStart::authorisation` of a completed authorisation of this
    /// draft: needed instead of a receipt when the draft's method
    /// authorises with the provider and the draft changes the connection
    /// (or the instance is being reconnected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorisation: Option<String>,
}

/// How the dashboard shows the provider's consent page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthoriseMode {
    /// In a popup window; the callback page closes itself.
    Popup,
    /// In the same tab (popups were blocked); the callback sends the user
    /// back to the instance's settings page with `?authorisation=<id>`.
    Redirect,
}

/// `POST /api/instances/{id}/authorise`: start authorising a draft with the
/// provider (OAuth 2 authorisation code). Nothing is saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoriseRequest {
    pub base_version: i64,
    pub draft: InstanceDraft,
    pub mode: AuthoriseMode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoriseStart {
    /// Names this authorisation in `GET`/`DELETE /api/authorisations/{id}`
    /// and in the save request.
    pub authorisation: String,
    /// The provider's consent page, with `state` and the PKCE challenge.
    pub url: String,
}

/// Where an authorisation has got to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AuthorisationState {
    /// Waiting for the user at the provider's consent page.
    Pending,
    /// The provider gave tokens, and they were checked with a connection
    /// test; save to keep them. Nothing is saved yet.
    Authorised {
        expires_at: Timestamp,
        /// The scopes the provider says it granted (its token answer's
        /// `scope`), when it says.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        granted_scope: Option<String>,
    },
    /// Consent was denied or cancelled, or the provider refused the code:
    /// nothing was saved. The message says why, as a sentence.
    Failed { message: String },
}

/// `GET /api/authorisations/{id}`: only the user who started it sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationStatus {
    pub instance_id: Id,
    pub base_version: i64,
    pub state: AuthorisationState,
    /// The draft that was authorised, with secret values left out (replaced
    /// secrets come back as `Replace` with an empty value): after a
    /// full-page redirect, the page restores the user's edits from it. A
    /// save naming this authorisation takes the secrets from the server's
    /// copy.
    pub draft: InstanceDraft,
}

/// `GET /api/instances/{id}/history`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceHistory {
    pub entries: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: Id,
    pub at: Timestamp,
    /// The name of the user who did it.
    pub user: String,
    pub event: HistoryEvent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// Settings were saved, making `version`. `changed` holds field labels
    /// only, never values.
    Saved { version: i64, changed: Vec<String> },
    /// A draft (saved or not) was tested.
    Tested {
        outcome: TestOutcome,
        message: String,
    },
}

// ---------------------------------------------------------------------------
// Field keys: how errors name a draft's fields
// ---------------------------------------------------------------------------

pub const FIELD_NAME: &str = "name";
pub const FIELD_TIME_ZONE: &str = "time_zone";
pub const FIELD_DATE_FORMAT: &str = "date_format";
pub const FIELD_RATE_LIMIT: &str = "rate_limit";
pub const FIELD_CONNECTION_POOL: &str = "connection_pool";
pub const FIELD_AUTH_METHOD: &str = "authentication.method";
pub const FIELD_CERTIFICATE: &str = "certificate";
/// The upload's fields (`CertificateUpload`), as error keys.
pub const FIELD_CERT_PRIVATE_KEY: &str = "private_key";
pub const FIELD_CERT_PASSPHRASE: &str = "passphrase";
pub const FIELD_CERT_PKCS12: &str = "pkcs12";
pub const FIELD_CERT_CA: &str = "ca_certificate";
/// Authorising with the provider: errors about it as a whole.
pub const FIELD_AUTHORISATION: &str = "authorisation";
/// The connector's settings as a whole: where a draft naming settings the
/// connector does not have is refused.
pub const FIELD_VARIABLES: &str = "variables";

/// A draft named settings the connector does not define (never repeated).
pub const UNKNOWN_VARIABLES: &str =
    "These settings include some this connector does not have. Reload the page and try again.";
/// A draft named fields the authentication method does not define; said at
/// the method, which the dashboard shows.
pub const UNKNOWN_AUTH_FIELDS: &str =
    "These settings include fields this authentication method does not have. Reload the page and try again.";

/// The error key of a connector variable, e.g. `variables.store`.
pub fn variable_field(key: &str) -> String {
    format!("variables.{key}")
}

/// The error key of an authentication field, e.g. `authentication.token`.
pub fn auth_field(key: &str) -> String {
    format!("authentication.{key}")
}

// ---------------------------------------------------------------------------
// Limits and choices
// ---------------------------------------------------------------------------

pub const NAME_MAX_CHARS: usize = 100;
pub const VALUE_MAX_CHARS: usize = 2048;
pub const RATE_LIMIT_MAX: u32 = 1_000_000;

/// Said at the rate limit when its text is not a whole number.
pub const RATE_LIMIT_NOT_A_NUMBER: &str =
    "Enter the rate limit as a whole number of requests, such as 60, or leave it empty for no limit.";

/// What the rate limit's text box holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitInput {
    /// Empty: no rate limit.
    NoLimit,
    /// A whole number. Numbers too large for the draft become `u32::MAX`,
    /// which validation then refuses with its own sentence.
    Amount(u32),
    /// Anything else (letters, a fraction, a sign).
    NotANumber,
}

/// Reads the text of a rate limit box: the one rule for typed rate limits.
/// (The API carries numbers; [`validate`] checks their range.)
pub fn parse_rate_limit(text: &str) -> RateLimitInput {
    let text = text.trim();
    if text.is_empty() {
        RateLimitInput::NoLimit
    } else if text.bytes().all(|b| b.is_ascii_digit()) {
        let amount = text.bytes().fold(0u64, |n, b| {
            (n * 10 + u64::from(b - b'0')).min(u64::from(u32::MAX))
        });
        RateLimitInput::Amount(amount as u32)
    } else {
        RateLimitInput::NotANumber
    }
}

/// Date formats an instance can use: the format, and how 24 November 2026,
/// 14:05:09 looks in it.
pub const DATE_FORMATS: &[(&str, &str)] = &[
    ("Y-m-d H:i:s", "2026-11-24 14:05:09"),
    ("Y-m-d\\TH:i:sP", "2026-11-24T14:05:09+00:00"),
    ("d/m/Y H:i", "24/11/2026 14:05"),
    ("m/d/Y H:i", "11/24/2026 14:05"),
    ("d.m.Y H:i", "24.11.2026 14:05"),
    ("Y-m-d", "2026-11-24"),
    ("U", "1795615509 (Unix seconds)"),
];

// ---------------------------------------------------------------------------
// Which tab a field is on
// ---------------------------------------------------------------------------

/// The three parts of the page, in the order their tabs are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Details,
    Authentication,
    Certificates,
}

/// A field whose draft value differs from the saved one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedField {
    pub section: Section,
    /// The field's label, as the page shows it.
    pub label: String,
    /// Whether the change affects how the connection is made.
    pub connection: bool,
    /// Whether the change affects where credentials are sent.
    pub destination: bool,
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

impl InstanceDraft {
    /// A draft equal to the saved settings: every secret kept.
    pub fn from_settings(settings: &InstanceSettings) -> InstanceDraft {
        InstanceDraft {
            details: settings.details.clone(),
            authentication: DraftAuthentication {
                method: settings.authentication.method.clone(),
                fields: settings
                    .authentication
                    .fields
                    .iter()
                    .map(|(key, value)| {
                        let field = match value {
                            AuthFieldValue::Plain { value } => DraftField::Plain {
                                value: value.clone(),
                            },
                            AuthFieldValue::Secret { .. } => DraftField::Keep,
                        };
                        (key.clone(), field)
                    })
                    .collect(),
            },
            certificate: CertificateDraft::Keep,
        }
    }

    pub fn connection(&self) -> ConnectionDraft<'_> {
        ConnectionDraft {
            variables: &self.details.variables,
            authentication: &self.authentication,
            certificate: &self.certificate,
        }
    }

    /// Switches to another authentication method. Another method's fields
    /// start empty and its secrets unset (a stored secret belongs to the
    /// saved method); going back to the saved method restores its saved
    /// values, stored secrets kept.
    pub fn choose_method(&mut self, saved: &InstanceSettings, method: &str) {
        if self.authentication.method == method {
            return;
        }
        if saved.authentication.method == method {
            self.authentication = InstanceDraft::from_settings(saved).authentication;
            return;
        }
        self.authentication.method = method.to_owned();
        self.authentication.fields = saved
            .connector
            .definition
            .auth_method(method)
            .map(|m| {
                m.fields
                    .iter()
                    .map(|f| {
                        let field = if f.secret {
                            DraftField::Clear
                        } else {
                            DraftField::Plain {
                                value: String::new(),
                            }
                        };
                        (f.key.clone(), field)
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
}

/// Whether secret field `key` has a stored value that `draft` could keep:
/// the saved settings hold one and the draft still uses their method.
pub fn keepable_secret(saved: &InstanceSettings, draft: &InstanceDraft, key: &str) -> bool {
    saved.authentication.method == draft.authentication.method && stored_secret(saved, key)
}

/// Whether the saved settings hold a value for secret field `key`.
fn stored_secret(saved: &InstanceSettings, key: &str) -> bool {
    matches!(
        saved.authentication.fields.get(key),
        Some(AuthFieldValue::Secret { is_set: true })
    )
}

fn saved_plain<'a>(saved: &'a InstanceSettings, key: &str) -> &'a str {
    match saved.authentication.fields.get(key) {
        Some(AuthFieldValue::Plain { value }) => value,
        _ => "",
    }
}

/// Every field of `draft` that differs from `saved`, in page order.
pub fn changed_fields(saved: &InstanceSettings, draft: &InstanceDraft) -> Vec<ChangedField> {
    let definition = &saved.connector.definition;
    let mut changed = vec![];
    let mut push = |section, label: &str, connection, destination| {
        changed.push(ChangedField {
            section,
            label: label.to_owned(),
            connection,
            destination,
        })
    };
    let (old, new) = (&saved.details, &draft.details);
    if old.name != new.name {
        push(Section::Details, "name", false, false);
    }
    if old.time_zone != new.time_zone {
        push(Section::Details, "time zone", false, false);
    }
    if old.date_format != new.date_format {
        push(Section::Details, "date format", false, false);
    }
    if old.rate_limit != new.rate_limit {
        push(Section::Details, "rate limit", false, false);
    }
    if old.connection_pool != new.connection_pool {
        push(Section::Details, "connection pool", false, false);
    }
    for def in &definition.variables {
        let before = old
            .variables
            .get(&def.key)
            .map(String::as_str)
            .unwrap_or("");
        let after = new
            .variables
            .get(&def.key)
            .map(String::as_str)
            .unwrap_or("");
        if before != after {
            push(Section::Details, &def.label, true, def.is_destination());
        }
    }

    let method_changed = saved.authentication.method != draft.authentication.method;
    if method_changed {
        push(Section::Authentication, "authentication method", true, true);
    }
    if let Some(method) = definition.auth_method(&draft.authentication.method) {
        for def in &method.fields {
            let field = draft.authentication.fields.get(&def.key);
            let differs = if def.secret {
                match field {
                    None | Some(DraftField::Keep) => false,
                    Some(DraftField::Clear) => !method_changed && stored_secret(saved, &def.key),
                    Some(DraftField::Replace { .. }) | Some(DraftField::Plain { .. }) => true,
                }
            } else {
                let value = match field {
                    Some(DraftField::Plain { value }) => value.as_str(),
                    _ => "",
                };
                // A choice left empty is its first choice: choosing that
                // one explicitly changes nothing.
                method_changed || def.chosen(value) != def.chosen(saved_plain(saved, &def.key))
            };
            // A method change already names the method; its fields' values
            // only count when there is one to compare with.
            if differs && !(method_changed && field_is_empty(field)) {
                push(
                    Section::Authentication,
                    &def.label,
                    true,
                    def.is_destination(),
                );
            }
        }
    }

    let stored = saved.certificate.stored();
    let (client_changes, ca_changes) = match &draft.certificate {
        CertificateDraft::Keep => (false, false),
        CertificateDraft::Remove => (
            stored.is_some_and(|s| s.client.is_some()),
            stored.is_some_and(|s| s.ca.is_some()),
        ),
        CertificateDraft::RemoveCa => (false, stored.is_some_and(|s| s.ca.is_some())),
        CertificateDraft::Upload(upload) => (
            upload.identity.is_some() || stored.is_some_and(|s| s.client.is_some()),
            upload.identity.is_none() || stored.is_some_and(|s| s.ca.is_some()),
        ),
    };
    if client_changes {
        push(Section::Certificates, "client certificate", true, false);
    }
    if ca_changes && !client_changes {
        push(Section::Certificates, "trusted CA certificate", true, false);
    }
    changed
}

fn field_is_empty(field: Option<&DraftField>) -> bool {
    match field {
        None | Some(DraftField::Keep) | Some(DraftField::Clear) => true,
        Some(DraftField::Plain { value }) | Some(DraftField::Replace { value }) => value.is_empty(),
    }
}

/// Whether saving `draft` needs proof of a passing connection test.
pub fn changes_connection(saved: &InstanceSettings, draft: &InstanceDraft) -> bool {
    changed_fields(saved, draft).iter().any(|c| c.connection)
}

/// Whether `draft` sends credentials somewhere else than the saved settings
/// do. Such a draft may not use a stored secret: the user enters it again.
pub fn changes_destination(saved: &InstanceSettings, draft: &InstanceDraft) -> bool {
    changed_fields(saved, draft).iter().any(|c| c.destination)
}

/// The sentence shown at a kept secret when the draft sends credentials to
/// a new address.
pub fn reenter_message(label: &str) -> String {
    format!(
        "Enter the {label} again: these settings send credentials to a different address, \
         so the stored value cannot be used."
    )
}

/// Checks a draft against the connector's definition and the company's
/// choices. An empty list means the draft can be tested and saved.
pub fn validate(saved: &InstanceSettings, draft: &InstanceDraft) -> Vec<FieldError> {
    let definition = &saved.connector.definition;
    let mut errors = vec![];
    let mut error = |field: String, message: String| errors.push(FieldError { field, message });
    let d = &draft.details;

    let name = d.name.trim();
    if name.is_empty() {
        error(FIELD_NAME.into(), "Enter a name for this instance.".into());
    } else if d.name.chars().count() > NAME_MAX_CHARS {
        error(
            FIELD_NAME.into(),
            format!("Use at most {NAME_MAX_CHARS} characters for the name."),
        );
    } else if d.name.chars().any(char::is_control) {
        error(
            FIELD_NAME.into(),
            "The name cannot contain line breaks or tabs.".into(),
        );
    }
    if crate::time_zones::TIME_ZONES
        .binary_search(&d.time_zone.as_str())
        .is_err()
    {
        error(
            FIELD_TIME_ZONE.into(),
            "Choose a time zone from the list, e.g. Europe/London.".into(),
        );
    }
    if !DATE_FORMATS.iter().any(|(f, _)| *f == d.date_format) {
        error(
            FIELD_DATE_FORMAT.into(),
            "Choose a date format from the list.".into(),
        );
    }
    if let Some(limit) = d.rate_limit {
        if limit.amount == 0 || limit.amount > RATE_LIMIT_MAX {
            error(
                FIELD_RATE_LIMIT.into(),
                format!("Enter a whole number of requests from 1 to {RATE_LIMIT_MAX}, or remove the rate limit."),
            );
        }
    }
    if let Some(pool) = &d.connection_pool {
        if !saved.connection_pools.iter().any(|p| p == pool) {
            error(
                FIELD_CONNECTION_POOL.into(),
                "Choose one of your company's connection pools, or none.".into(),
            );
        }
    }
    // Keys the connector does not define are named generically, once: the
    // request's own text is never repeated, and the dashboard only ever
    // sends keys it read from the definition.
    if d
        .variables
        .keys()
        .any(|key| !definition.variables.iter().any(|v| &v.key == key))
    {
        error(FIELD_VARIABLES.into(), UNKNOWN_VARIABLES.into());
    }
    for def in &definition.variables {
        let value = d.variables.get(&def.key).map(String::as_str).unwrap_or("");
        if let Some(message) = check_value(def, value) {
            error(variable_field(&def.key), message);
        }
    }

    let auth = &draft.authentication;
    let Some(method) = definition.auth_method(&auth.method) else {
        error(
            FIELD_AUTH_METHOD.into(),
            "Choose one of the authentication methods this connector offers.".into(),
        );
        return errors;
    };
    let destination = changes_destination(saved, draft);
    if auth
        .fields
        .keys()
        .any(|key| !method.fields.iter().any(|f| &f.key == key))
    {
        error(FIELD_AUTH_METHOD.into(), UNKNOWN_AUTH_FIELDS.into());
    }
    for def in &method.fields {
        let field = auth.fields.get(&def.key);
        let message = match (def.secret, field) {
            (false, Some(DraftField::Plain { value })) => check_value(def, value),
            (false, None) => check_value(def, ""),
            (false, Some(_)) => Some(format!("Enter the {} as text.", def.label)),
            (true, Some(DraftField::Plain { .. })) => Some(format!(
                "The {} is secret: replace, keep or clear it.",
                def.label
            )),
            (true, Some(DraftField::Replace { value })) => {
                if value.is_empty() {
                    Some(format!(
                        "Enter the new {}, or keep the stored one.",
                        def.label
                    ))
                } else if value.chars().count() > VALUE_MAX_CHARS {
                    Some(format!(
                        "The {} is too long: use at most {VALUE_MAX_CHARS} characters.",
                        def.label
                    ))
                } else {
                    None
                }
            }
            (true, None | Some(DraftField::Keep)) => {
                let stored = keepable_secret(saved, draft, &def.key);
                if stored && destination {
                    Some(reenter_message(&def.label))
                } else if !stored && def.required {
                    Some(format!("Enter the {}.", def.label))
                } else {
                    None
                }
            }
            (true, Some(DraftField::Clear)) => def
                .required
                .then(|| format!("Enter the {}: this method needs it.", def.label)),
        };
        if let Some(message) = message {
            error(auth_field(&def.key), message);
        }
    }
    errors
}

/// Checks one text value of a variable or plain authentication field.
fn check_value(def: &FieldDef, value: &str) -> Option<String> {
    if !def.choices.is_empty() {
        let value = def.chosen(value);
        return (!def.choices.iter().any(|c| c.value == value))
            .then(|| format!("Choose the {} from the list.", def.label));
    }
    if value.trim().is_empty() {
        return def.required.then(|| format!("Enter the {}.", def.label));
    }
    if value.chars().count() > VALUE_MAX_CHARS {
        return Some(format!(
            "The {} is too long: use at most {VALUE_MAX_CHARS} characters.",
            def.label
        ));
    }
    if value.chars().any(char::is_control) {
        return Some(format!(
            "The {} cannot contain line breaks or tabs.",
            def.label
        ));
    }
    if def.is_destination() && value.chars().any(char::is_whitespace) {
        return Some(format!("The {} cannot contain spaces.", def.label));
    }
    if def.kind == FieldKind::Url {
        return crate::address::url_problem(&def.label, value, &[]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CertificateState;
    use crate::{
        AuthKind, AuthMethodDef, AuthSettings, ConnectorDefinition, ConnectorRef,
        InstanceAuthentication, InstanceStatus, Placement, RateLimit, RateLimitUnit,
        TestRequestDef,
    };

    fn field(key: &str, secret: bool, placement: Placement) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: key.replace('_', " "),
            help: None,
            secret,
            required: true,
            placement,
            destination: false,
            choices: vec![],
            kind: FieldKind::Text,
        }
    }

    fn saved() -> InstanceSettings {
        let mut token_url = field("token_url", false, Placement::Auth);
        token_url.destination = true;
        token_url.kind = FieldKind::Url;
        let definition = ConnectorDefinition {
            base_url: "https://{{host}}/api".into(),
            variables: vec![
                field("host", false, Placement::Url),
                FieldDef {
                    required: false,
                    ..field(
                        "region",
                        false,
                        Placement::Header {
                            name: "X-Region".into(),
                            prefix: None,
                        },
                    )
                },
            ],
            auth_methods: vec![
                AuthMethodDef {
                    key: "bearer".into(),
                    label: "bearer token".into(),
                    kind: AuthKind::Token,
                    fields: vec![field(
                        "token",
                        true,
                        Placement::Header {
                            name: "Authorization".into(),
                            prefix: Some("Bearer ".into()),
                        },
                    )],
                    settings: AuthSettings::default(),
                },
                AuthMethodDef {
                    key: "cc".into(),
                    label: "client credentials".into(),
                    kind: AuthKind::Oauth2ClientCredentials,
                    fields: vec![
                        token_url,
                        field("client_id", false, Placement::Auth),
                        field("client_secret", true, Placement::Auth),
                    ],
                    settings: AuthSettings::default(),
                },
            ],
            test_request: TestRequestDef {
                method: "GET".into(),
                path: "/me".into(),
                expected_statuses: vec![200],
            },
        };
        InstanceSettings {
            id: 7,
            version: 3,
            connector: ConnectorRef {
                id: 1,
                name: "API".into(),
                definition,
            },
            details: InstanceDetails {
                name: "Warehouse".into(),
                time_zone: "Europe/London".into(),
                date_format: "Y-m-d H:i:s".into(),
                rate_limit: Some(RateLimit {
                    amount: 10,
                    unit: RateLimitUnit::Second,
                }),
                connection_pool: None,
                variables: [("host".to_string(), "api.example.com".to_string())].into(),
            },
            authentication: InstanceAuthentication {
                method: "bearer".into(),
                fields: [("token".to_string(), AuthFieldValue::Secret { is_set: true })].into(),
                authorised_at: None,
            },
            certificate: CertificateState::None,
            status: InstanceStatus::Operational,
            process_flows: vec![],
            connection_pools: vec!["bulk".into()],
            oauth_callback_url: None,
        }
    }

    fn labels(saved: &InstanceSettings, draft: &InstanceDraft) -> Vec<String> {
        changed_fields(saved, draft)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn fields_of(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_draft_of_the_saved_settings_is_unchanged_and_valid() {
        let saved = saved();
        let draft = InstanceDraft::from_settings(&saved);
        assert!(changed_fields(&saved, &draft).is_empty());
        assert_eq!(validate(&saved, &draft), vec![]);
        assert_eq!(draft.authentication.fields["token"], DraftField::Keep);
    }

    #[test]
    fn unknown_keys_are_refused_without_being_repeated() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        let long = "k".repeat(100_000);
        for key in [long.as_str(), "<script>", "other"] {
            draft.details.variables.insert(key.into(), "v".into());
            draft
                .authentication
                .fields
                .insert(key.into(), DraftField::Plain { value: "v".into() });
        }
        let errors = validate(&saved, &draft);
        assert_eq!(
            errors,
            vec![
                FieldError { field: FIELD_VARIABLES.into(), message: UNKNOWN_VARIABLES.into() },
                FieldError { field: FIELD_AUTH_METHOD.into(), message: UNKNOWN_AUTH_FIELDS.into() },
            ],
            "one generic error per part, whatever the number of keys"
        );
        for e in &errors {
            for key in [long.as_str(), "<script>", "other"] {
                assert!(!e.field.contains(key) && !e.message.contains(key), "{e:?}");
            }
        }
    }

    #[test]
    fn details_changes_do_not_touch_the_connection() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.name = "Warehouse EU".into();
        draft.details.time_zone = "Europe/Paris".into();
        draft.details.date_format = "Y-m-d".into();
        draft.details.rate_limit = None;
        draft.details.connection_pool = Some("bulk".into());
        assert_eq!(
            labels(&saved, &draft),
            [
                "name",
                "time zone",
                "date format",
                "rate limit",
                "connection pool"
            ]
        );
        assert!(!changes_connection(&saved, &draft));
        assert_eq!(validate(&saved, &draft), vec![]);
    }

    #[test]
    fn replacing_a_secret_changes_the_connection_but_not_its_destination() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft
            .authentication
            .fields
            .insert("token".into(), DraftField::Replace { value: "t2".into() });
        assert!(changes_connection(&saved, &draft));
        assert!(!changes_destination(&saved, &draft));
        assert_eq!(labels(&saved, &draft), ["token"]);
        assert_eq!(
            changed_fields(&saved, &draft)[0].section,
            Section::Authentication
        );
    }

    #[test]
    fn a_header_variable_changes_the_connection_and_a_url_variable_its_destination() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.variables.insert("region".into(), "eu".into());
        assert!(changes_connection(&saved, &draft));
        assert!(!changes_destination(&saved, &draft));
        assert_eq!(validate(&saved, &draft), vec![]);

        draft
            .details
            .variables
            .insert("host".into(), "evil.example".into());
        assert!(changes_destination(&saved, &draft));
        let errors = validate(&saved, &draft);
        assert_eq!(fields_of(&errors), ["authentication.token"]);
        assert_eq!(errors[0].message, reenter_message("token"));

        // Entering the secret again makes the draft acceptable.
        draft
            .authentication
            .fields
            .insert("token".into(), DraftField::Replace { value: "t".into() });
        assert_eq!(validate(&saved, &draft), vec![]);
    }

    #[test]
    fn a_new_token_url_means_the_client_secret_is_entered_again() {
        let mut saved = saved();
        saved.authentication = InstanceAuthentication {
            method: "cc".into(),
            fields: [
                (
                    "token_url".to_string(),
                    AuthFieldValue::Plain {
                        value: "https://id.example/token".into(),
                    },
                ),
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
        let mut draft = InstanceDraft::from_settings(&saved);
        assert_eq!(validate(&saved, &draft), vec![]);
        draft.authentication.fields.insert(
            "token_url".into(),
            DraftField::Plain {
                value: "https://evil.example/t".into(),
            },
        );
        assert!(changes_destination(&saved, &draft));
        assert_eq!(
            fields_of(&validate(&saved, &draft)),
            ["authentication.client_secret"]
        );
        // The client id is not a destination: changing it alone keeps the secret usable.
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.authentication.fields.insert(
            "client_id".into(),
            DraftField::Plain {
                value: "app2".into(),
            },
        );
        assert!(changes_connection(&saved, &draft));
        assert!(!changes_destination(&saved, &draft));
        assert_eq!(validate(&saved, &draft), vec![]);
    }

    #[test]
    fn an_address_field_must_hold_an_http_address() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.choose_method(&saved, "cc");
        draft.authentication.fields.insert("client_id".into(), DraftField::Plain { value: "app".into() });
        draft.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: "s".into() });
        let token_url = |draft: &mut InstanceDraft, value: &str| {
            draft.authentication.fields.insert("token_url".into(), DraftField::Plain { value: value.into() });
            validate(&saved, draft)
        };
        let errors = token_url(&mut draft, "id.example.com/token");
        assert_eq!(fields_of(&errors), ["authentication.token_url"]);
        assert_eq!(
            errors[0].message,
            "The token url must start with http:// or https://, e.g. https://api.example.com."
        );
        assert!(token_url(&mut draft, "ftp://id.example.com/token")[0].message.contains("http://"));
        assert!(token_url(&mut draft, "https:///token")[0].message.contains("host name"));
        assert_eq!(token_url(&mut draft, "https://id.example.com/token"), vec![]);
        // A field that is not an address takes any text without spaces.
        draft.authentication.fields.insert("client_id".into(), DraftField::Plain { value: "id.example.com".into() });
        assert_eq!(validate(&saved, &draft), vec![]);
    }

    #[test]
    fn choosing_another_method_starts_its_fields_empty_and_needs_them_all() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.choose_method(&saved, "cc");
        assert!(changes_destination(&saved, &draft));
        assert_eq!(labels(&saved, &draft), ["authentication method"]);
        assert_eq!(
            fields_of(&validate(&saved, &draft)),
            [
                "authentication.token_url",
                "authentication.client_id",
                "authentication.client_secret"
            ]
        );
        // Going back to the saved method restores its saved values.
        draft.choose_method(&saved, "bearer");
        assert_eq!(draft.authentication.fields["token"], DraftField::Keep);
        assert!(changed_fields(&saved, &draft).is_empty());
    }

    #[test]
    fn clearing_a_required_secret_or_leaving_a_new_one_empty_is_refused() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft
            .authentication
            .fields
            .insert("token".into(), DraftField::Clear);
        assert_eq!(
            fields_of(&validate(&saved, &draft)),
            ["authentication.token"]
        );
        draft.authentication.fields.insert(
            "token".into(),
            DraftField::Replace {
                value: String::new(),
            },
        );
        assert_eq!(
            fields_of(&validate(&saved, &draft)),
            ["authentication.token"]
        );
        draft
            .authentication
            .fields
            .insert("token".into(), DraftField::Plain { value: "x".into() });
        assert_eq!(
            fields_of(&validate(&saved, &draft)),
            ["authentication.token"]
        );
    }

    #[test]
    fn keeping_a_secret_that_was_never_stored_is_missing() {
        let mut saved = saved();
        saved
            .authentication
            .fields
            .insert("token".into(), AuthFieldValue::Secret { is_set: false });
        let draft = InstanceDraft::from_settings(&saved);
        let errors = validate(&saved, &draft);
        assert_eq!(errors[0].message, "Enter the token.");
    }

    #[test]
    fn details_are_checked_field_by_field() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.name = "   ".into();
        draft.details.time_zone = "Mars/Olympus".into();
        draft.details.date_format = "dd-mm".into();
        draft.details.rate_limit = Some(RateLimit {
            amount: 0,
            unit: RateLimitUnit::Day,
        });
        draft.details.connection_pool = Some("someone else's".into());
        draft.details.variables.insert("host".into(), "".into());
        draft.details.variables.insert("bogus".into(), "x".into());
        assert_eq!(
            fields_of(&validate(&saved, &draft)),
            [
                "name",
                "time_zone",
                "date_format",
                "rate_limit",
                "connection_pool",
                "variables",
                "variables.host",
                // The host changed, so the stored token cannot follow it.
                "authentication.token",
            ]
        );
        draft.details.name = "x".repeat(NAME_MAX_CHARS + 1);
        draft.details.variables.remove("bogus");
        draft.details.variables.insert("host".into(), "a b".into());
        let errors = validate(&saved, &draft);
        assert!(errors
            .iter()
            .any(|e| e.field == "name" && e.message.contains("at most 100")));
        assert!(errors
            .iter()
            .any(|e| e.field == "variables.host" && e.message.contains("spaces")));
    }

    #[test]
    fn the_connection_part_leaves_out_the_details_that_do_not_matter() {
        let saved = saved();
        let draft = InstanceDraft::from_settings(&saved);
        let mut renamed = draft.clone();
        renamed.details.name = "Other".into();
        assert_eq!(draft.connection(), renamed.connection());
        let mut other_host = draft.clone();
        other_host
            .details
            .variables
            .insert("host".into(), "b.example".into());
        assert_ne!(draft.connection(), other_host.connection());
    }

    #[test]
    fn rate_limit_text_is_read_as_a_whole_number_or_nothing() {
        assert_eq!(parse_rate_limit(""), RateLimitInput::NoLimit);
        assert_eq!(parse_rate_limit("  "), RateLimitInput::NoLimit);
        assert_eq!(parse_rate_limit("60"), RateLimitInput::Amount(60));
        assert_eq!(parse_rate_limit(" 007 "), RateLimitInput::Amount(7));
        assert_eq!(parse_rate_limit("0"), RateLimitInput::Amount(0));
        assert_eq!(
            parse_rate_limit("99999999999999999999999"),
            RateLimitInput::Amount(u32::MAX)
        );
        for text in ["abc", "1.5", "-3", "1e3", "6 0", "６０"] {
            assert_eq!(
                parse_rate_limit(text),
                RateLimitInput::NotANumber,
                "{text:?}"
            );
        }
    }

    #[test]
    fn time_zones_are_sorted_so_they_can_be_searched() {
        let zones = crate::time_zones::TIME_ZONES;
        assert!(zones.windows(2).all(|w| w[0] < w[1]));
        assert!(zones.contains(&"Europe/London") && zones.contains(&"UTC"));
    }

    #[test]
    fn drafts_travel_as_tagged_json() {
        let json = serde_json::to_value(DraftField::Replace { value: "s".into() }).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "replace", "value": "s"}));
        let keep: DraftField = serde_json::from_str(r#"{"kind":"keep"}"#).unwrap();
        assert_eq!(keep, DraftField::Keep);
        let cert: CertificateDraft = serde_json::from_str(r#"{"action":"keep"}"#).unwrap();
        assert_eq!(cert, CertificateDraft::Keep);
    }

    #[test]
    fn an_uploaded_certificate_changes_the_connection_and_never_shows_its_key() {
        let saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        let upload = CertificateUpload {
            identity: Some(IdentityUpload::Pem {
                certificate_pem: "-----BEGIN CERTIFICATE-----".into(),
                private_key_pem: "KEY MATERIAL".into(),
                passphrase: "PASSPHRASE".into(),
            }),
            ca_certificate_pem: None,
        };
        draft.certificate = CertificateDraft::Upload(upload.clone());
        assert_eq!(labels(&saved, &draft), vec!["client certificate"]);
        assert!(changes_connection(&saved, &draft));
        assert!(!changes_destination(&saved, &draft));

        let debug = format!("{:?}", draft);
        assert!(!debug.contains("KEY MATERIAL") && !debug.contains("PASSPHRASE"), "{debug}");

        let json = serde_json::to_value(&draft.certificate).unwrap();
        assert_eq!(json["action"], "upload");
        assert_eq!(json["identity"]["format"], "pem");
        let back: CertificateDraft = serde_json::from_value(json).unwrap();
        assert_eq!(back, draft.certificate);

        // Removing a certificate that is not there changes nothing.
        draft.certificate = CertificateDraft::Remove;
        assert_eq!(labels(&saved, &draft), Vec::<String>::new());
    }

    #[test]
    fn a_choice_of_client_authentication_changes_the_connection_but_not_where_it_goes() {
        let mut saved = saved();
        let client_auth = FieldDef {
            required: false,
            choices: ["basic_header", "request_body"]
                .map(|v| crate::FieldChoice { value: v.into(), label: v.replace('_', " ") })
                .into(),
            label: "client authentication".into(),
            ..field(crate::CLIENT_AUTH_FIELD, false, Placement::Auth)
        };
        saved.connector.definition.auth_methods[1].fields.push(client_auth);
        saved.authentication = InstanceAuthentication {
            method: "cc".into(),
            fields: [
                ("token_url".to_string(), AuthFieldValue::Plain { value: "https://id.example/token".into() }),
                ("client_id".to_string(), AuthFieldValue::Plain { value: "c1".into() }),
                ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
            ]
            .into(),
            authorised_at: None,
        };
        let set = |value: &str| {
            let mut draft = InstanceDraft::from_settings(&saved);
            draft.authentication.fields.insert(
                crate::CLIENT_AUTH_FIELD.into(),
                DraftField::Plain { value: value.into() },
            );
            draft
        };
        // Choosing the first choice explicitly is what an empty value meant.
        assert!(changed_fields(&saved, &set("basic_header")).is_empty());
        assert_eq!(validate(&saved, &set("basic_header")), vec![]);

        let body = set("request_body");
        assert_eq!(labels(&saved, &body), vec!["client authentication"]);
        assert!(changes_connection(&saved, &body));
        assert!(!changes_destination(&saved, &body), "the secret goes to the same token URL");
        assert_eq!(validate(&saved, &body), vec![], "the stored secret can be kept");

        let errors = validate(&saved, &set("in a pigeon"));
        assert_eq!(fields_of(&errors), vec!["authentication.client_auth"]);
        assert_eq!(errors[0].message, "Choose the client authentication from the list.");
        assert!(!errors[0].message.contains("pigeon"));
    }

    #[test]
    fn a_ca_alone_is_an_upload_and_removing_it_alone_a_change() {
        let mut saved = saved();
        let mut draft = InstanceDraft::from_settings(&saved);
        let ca_only: CertificateDraft =
            serde_json::from_str(r#"{"action":"upload","ca_certificate_pem":"-----BEGIN CERTIFICATE-----"}"#).unwrap();
        let CertificateDraft::Upload(upload) = &ca_only else { panic!("{ca_only:?}") };
        assert!(upload.identity.is_none());
        assert!(format!("{upload:?}").contains("ca only"));
        draft.certificate = ca_only.clone();
        assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);
        assert!(changes_connection(&saved, &draft));
        assert_eq!(serde_json::to_value(&draft.certificate).unwrap().get("identity"), None);

        // Nothing stored: removing the CA changes nothing.
        draft.certificate = CertificateDraft::RemoveCa;
        assert_eq!(labels(&saved, &draft), Vec::<String>::new());

        let info = crate::CertificateInfo {
            subject: "CN=Partner CA".into(),
            issuer: "CN=Partner CA".into(),
            subject_alt_names: vec![],
            not_before: 0,
            not_after: 100,
            sha256_fingerprint: "AA".into(),
            key_type: "ECDSA P-256".into(),
        };
        let stored = crate::StoredCertificates { client: None, ca: Some(info.clone()) };
        assert_eq!(stored.not_after(), 100);
        saved.certificate = CertificateState::Stored(stored);
        assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);
        draft.certificate = CertificateDraft::Remove;
        assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);

        // A client certificate and a CA: removing the CA alone is a change of the CA.
        let both = crate::StoredCertificates {
            client: Some(crate::CertificateInfo { not_after: 50, ..info.clone() }),
            ca: Some(info),
        };
        assert_eq!(both.not_after(), 50);
        saved.certificate = CertificateState::Stored(both);
        draft.certificate = CertificateDraft::RemoveCa;
        assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);
        assert!(changes_connection(&saved, &draft));
        // Stored details from before CA-only uploads existed still read.
        let old: crate::StoredCertificates = serde_json::from_str(
            r#"{"client":{"subject":"CN=c","issuer":"CN=i","not_before":0,"not_after":9,"sha256_fingerprint":"AA","key_type":"Ed25519"}}"#,
        )
        .unwrap();
        assert_eq!(old.client.unwrap().not_after, 9);
    }
}
