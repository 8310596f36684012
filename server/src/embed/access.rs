//! What an embed session's bearer token may do: only its own instance
//! (another is not found), and only what its permissions allow. The checks
//! are plain: given the grant and what a request would change, allowed or
//! the sentence why not.

use std::collections::BTreeSet;

use conduit_types::draft::ChangedField;
use conduit_types::field_key::Section;
use conduit_types::{CompanySummary, Id, Me, Permission, UserSummary};

use crate::error::AppError;
use crate::store::SessionUser;

/// An embed session, as a request made with its token acts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedGrant {
    pub session_id: Id,
    pub company_id: Id,
    pub instance_id: Id,
    /// The user whose API key started the session; the history's user.
    pub acting_user_id: Id,
    pub origin: String,
    pub user_name: String,
    pub permissions: BTreeSet<Permission>,
}

/// What a request does with the instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Read its settings or history.
    Read,
    /// Test a draft.
    Test,
    /// Save a draft; `authorised` when it brings a completed authorisation.
    Save { authorised: bool },
    /// Start authorising with the provider.
    Authorise,
}

pub const NO_VIEW: &str = "This embedded session may not see this instance.";
pub const NO_TEST: &str = "This embedded session may not test the connection.";
pub const NO_DETAILS: &str = "This embedded session may not change the instance details.";
pub const NO_CREDENTIALS: &str = "This embedded session may not change the authentication.";
pub const NO_CERTIFICATES: &str = "This embedded session may not change the certificates.";
pub const NO_AUTHORISE: &str = "This embedded session may not authorise with the provider.";

impl EmbedGrant {
    fn may(&self, permission: Permission) -> Result<(), AppError> {
        if self.permissions.contains(&permission) {
            return Ok(());
        }
        let sentence = match permission {
            Permission::View => NO_VIEW,
            Permission::EditDetails => NO_DETAILS,
            Permission::EditCredentials => NO_CREDENTIALS,
            Permission::Certificates => NO_CERTIFICATES,
            Permission::Test => NO_TEST,
            Permission::Authorise => NO_AUTHORISE,
        };
        Err(AppError::Forbidden(sentence.to_owned()))
    }

    /// Whether the request may reach instance `id` at all: another
    /// instance is not found (as another company's is), and nothing is
    /// allowed without `view`.
    pub fn reach(&self, id: Id) -> Result<(), AppError> {
        if id != self.instance_id {
            return Err(AppError::not_found("instance"));
        }
        self.may(Permission::View)
    }

    /// Whether `what`, changing `changes` from the saved settings, is allowed.
    pub fn allow(&self, what: Use, changes: &[ChangedField]) -> Result<(), AppError> {
        match what {
            Use::Read => return Ok(()),
            Use::Test => self.may(Permission::Test)?,
            Use::Save { authorised: true } | Use::Authorise => self.may(Permission::Authorise)?,
            Use::Save { authorised: false } => {}
        }
        for section in changes.iter().map(|c| c.section) {
            self.may(match section {
                Section::Details => Permission::EditDetails,
                Section::Authentication => Permission::EditCredentials,
                Section::Certificates => Permission::Certificates,
            })?;
        }
        Ok(())
    }

    /// Whether the session may have certificate uploads read
    /// (`POST /api/certificates/inspect`): with `view` and `certificates`.
    pub fn inspect_certificates(&self) -> Result<(), AppError> {
        self.may(Permission::View)?;
        self.may(Permission::Certificates)
    }

    /// How the history names what the session does: "Jane Doe via portal.example".
    pub fn history_name(&self) -> String {
        let host = self.origin.split_once("://").map_or(self.origin.as_str(), |(_, host)| host);
        format!("{} via {host}", self.user_name)
    }

    /// The principal the instance rules act for: the key's creator, named
    /// in the history as the session's end user.
    pub fn acting_user(&self) -> SessionUser {
        let name = self.history_name();
        SessionUser {
            user_id: self.acting_user_id,
            company_id: self.company_id,
            me: Me {
                user: UserSummary { id: self.acting_user_id, name: name.clone(), email: String::new() },
                company: CompanySummary { id: self.company_id, name: String::new() },
            },
            acting_as: Some(name),
        }
    }
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
