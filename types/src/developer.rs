//! The `developer settings` page: the company's API keys, which a host
//! portal's backend uses to start embed sessions, and the origins allowed to
//! embed instance settings. `GET /api/developer`, `POST /api/developer/keys`,
//! `DELETE /api/developer/keys/{id}`, `PUT /api/developer/origins`.

use serde::{Deserialize, Serialize};

use crate::scalars::{Id, Timestamp};

/// `GET /api/developer`, and the answer to `PUT /api/developer/origins`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeveloperSettings {
    /// The company's API keys that are not revoked, newest first.
    pub keys: Vec<ApiKeySummary>,
    /// The origins allowed to embed, as `scheme://host[:port]`, in the order given.
    pub origins: Vec<String>,
}

/// An API key as listed: never its secret, which is shown once, when created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: Id,
    pub name: String,
    /// The key's first characters (e.g. `ck_3fa9c1`), so a person can tell keys apart.
    pub prefix: String,
    pub created_at: Timestamp,
    /// The name of the user who created it.
    pub created_by: String,
    /// When the key was last used to start an embed session; `None` if never.
    pub last_used_at: Option<Timestamp>,
}

/// `POST /api/developer/keys`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
}

/// The answer to `POST /api/developer/keys` (201): the only time the key's
/// secret is ever sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiKey {
    pub key: ApiKeySummary,
    pub secret: String,
}

/// How many origins a company may allow to embed.
pub const MAX_ORIGINS: usize = 20;
/// How long an API key's name may be, in characters.
pub const MAX_KEY_NAME: usize = 80;
/// The error key of the `n`th origin of an [`EmbedOrigins`] (from 0), and
/// of the key name in a [`NewApiKey`].
pub fn origin_field(n: usize) -> String {
    format!("origins.{n}")
}
pub const FIELD_KEY_NAME: &str = "name";

/// `PUT /api/developer/origins`: the whole list, replacing the saved one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedOrigins {
    pub origins: Vec<String>,
}
