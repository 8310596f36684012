//! The `developer settings` page: the company's API keys, which a host
//! portal's backend uses to start embed sessions, and the origins allowed to
//! embed instance settings. `GET /api/developer`, `POST /api/developer/keys`,
//! `DELETE /api/developer/keys/{id}`, `PUT /api/developer/origins`.

use serde::{Deserialize, Serialize};

use crate::address::origin;
use crate::errors::FieldError;
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
/// secret is ever sent. Its Debug output leaves the secret out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiKey {
    pub key: ApiKeySummary,
    pub secret: String,
}

crate::redacted::debug_redacting!(CreatedApiKey, secret: secret, shown: [key]);

/// How many origins a company may allow to embed.
pub const MAX_ORIGINS: usize = 20;
/// How long an API key's name may be, in characters.
pub const MAX_KEY_NAME: usize = 80;
/// The error key of the `n`th origin of an [`EmbedOrigins`] (from 0).
pub fn origin_field(n: usize) -> String {
    format!("origins.{n}")
}
/// The error key of the name in a [`NewApiKey`].
pub const FIELD_KEY_NAME: &str = "name";

/// A key's name, trimmed: required, at most [`MAX_KEY_NAME`] characters and
/// without control characters; or the error at [`FIELD_KEY_NAME`]. The one
/// rule: the dashboard shows it as the name is typed, the server enforces it.
pub fn key_name(text: &str) -> Result<String, FieldError> {
    let name = text.trim();
    let problem = if name.is_empty() {
        Some("Enter a name for the key, e.g. the portal that will use it.".to_owned())
    } else if name.chars().count() > MAX_KEY_NAME {
        Some(format!("A key's name can be at most {MAX_KEY_NAME} characters."))
    } else if name.chars().any(char::is_control) {
        Some("A key's name cannot contain line breaks, tabs or other control characters.".to_owned())
    } else {
        None
    };
    match problem {
        Some(message) => Err(FieldError { field: FIELD_KEY_NAME.to_owned(), message }),
        None => Ok(name.to_owned()),
    }
}

/// For each entry of a list of origins allowed to embed, why it cannot be
/// there: not an origin ([`origin`]'s sentence), a repeat of an earlier entry
/// once normalised, or past [`MAX_ORIGINS`]. The sentences never quote it.
pub fn origin_list_problems<T: AsRef<str>>(list: &[T]) -> Vec<Option<String>> {
    let mut seen: Vec<String> = Vec::with_capacity(list.len());
    list.iter()
        .enumerate()
        .map(|(n, text)| {
            if n >= MAX_ORIGINS {
                return Some(format!("At most {MAX_ORIGINS} origins may embed; remove this one or another."));
            }
            match origin(text.as_ref()) {
                Ok(normal) if seen.contains(&normal) => Some("This origin is already in the list above.".to_owned()),
                Ok(normal) => {
                    seen.push(normal);
                    None
                }
                Err(sentence) => Some(sentence),
            }
        })
        .collect()
}

/// `list` normalised (`scheme://host[:port]`, as browsers send it), in its
/// order; or an error at every entry [`origin_list_problems`] refuses.
pub fn embed_origins(list: &[String]) -> Result<Vec<String>, Vec<FieldError>> {
    let errors: Vec<FieldError> = origin_list_problems(list)
        .into_iter()
        .enumerate()
        .filter_map(|(n, problem)| problem.map(|message| FieldError { field: origin_field(n), message }))
        .collect();
    if errors.is_empty() {
        Ok(list.iter().filter_map(|text| origin(text).ok()).collect())
    } else {
        Err(errors)
    }
}

/// `PUT /api/developer/origins`: the whole list, replacing the saved one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedOrigins {
    pub origins: Vec<String>,
}

#[cfg(test)]
mod tests;
