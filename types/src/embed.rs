//! Embed sessions: how a host portal's backend starts a session for one
//! instance (`POST /api/embed/sessions`, with a company API key) and how the
//! iframe trades the session's one-time secret for a bearer token
//! (`POST /api/embed/exchange`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::redacted::debug_redacting;
use crate::scalars::{Id, Timestamp};

/// What an embed session may do with its instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the instance's settings and history (nothing works without it).
    View,
    /// Change the `instance details` tab.
    EditDetails,
    /// Change the authentication method and its fields.
    EditCredentials,
    /// Upload or remove certificates.
    Certificates,
    /// Test the connection.
    Test,
    /// Run an OAuth authorisation.
    Authorise,
}

/// `POST /api/embed/sessions`, sent by the host's backend with
/// `Authorization: Bearer <api key>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEmbedSession {
    pub instance: Id,
    /// The host page's origin; must be one the company allows to embed.
    pub origin: String,
    /// The end user's display name, for the history.
    pub user_name: String,
    pub permissions: BTreeSet<Permission>,
}

/// The answer to `POST /api/embed/sessions` (201): a one-time secret. Its
/// Debug output leaves the secret out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSessionSecret {
    pub secret: String,
    pub expires_at: Timestamp,
    /// The key's company (the iframe's address names it).
    pub company: Id,
}

/// `POST /api/embed/exchange`, sent from the iframe. Its Debug output
/// leaves the secret out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedExchange {
    pub secret: String,
    /// The host page's origin as the iframe saw it (`MessageEvent.origin`);
    /// it must be the session's.
    pub origin: String,
}

/// The answer to `POST /api/embed/exchange`: a bearer token for the
/// instance routes, kept in memory by the iframe. Its Debug output leaves
/// the token out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedToken {
    pub token: String,
    pub expires_at: Timestamp,
    pub instance: Id,
    pub permissions: BTreeSet<Permission>,
    pub origin: String,
    /// The end user's display name, as the host's backend gave it.
    pub user_name: String,
}

debug_redacting!(EmbedSessionSecret, secret: secret, shown: [expires_at, company]);
debug_redacting!(EmbedExchange, secret: secret, shown: [origin]);
debug_redacting!(EmbedToken, secret: token, shown: [expires_at, instance, permissions, origin, user_name]);

/// The error key of [`NewEmbedSession::origin`].
pub const FIELD_ORIGIN: &str = "origin";
/// The error key of [`NewEmbedSession::user_name`].
pub const FIELD_USER_NAME: &str = "user_name";
/// How long an end user's display name may be, in characters.
pub const MAX_USER_NAME: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redacted::REDACTED;

    #[test]
    fn debug_output_never_shows_the_secret_or_the_token() {
        let secret = EmbedSessionSecret { secret: "cs_s3cr3t".into(), expires_at: 10, company: 4 };
        let exchange = EmbedExchange { secret: "cs_s3cr3t".into(), origin: "https://portal.example".into() };
        let token = EmbedToken {
            token: "ct_t0k3n".into(),
            expires_at: 20,
            instance: 7,
            permissions: BTreeSet::from([Permission::View]),
            origin: "https://portal.example".into(),
            user_name: "Jane Doe".into(),
        };
        for (shown, hidden) in [
            (format!("{secret:?}"), "s3cr3t"),
            (format!("{exchange:?}"), "s3cr3t"),
            (format!("{token:?}"), "t0k3n"),
            (format!("{token:#?}"), "t0k3n"),
        ] {
            assert!(!shown.contains(hidden) && shown.contains(REDACTED), "{shown}");
        }
        assert!(format!("{secret:?}").contains("company: 4"));
        assert!(format!("{exchange:?}").contains("https://portal.example"));
        assert!(format!("{token:?}").contains("Jane Doe") && format!("{token:?}").contains("instance: 7"));
    }
}
