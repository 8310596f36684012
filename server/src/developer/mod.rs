//! The developer settings in plain Rust: the company's API keys and the
//! origins allowed to embed. Each child does one job:
//!
//! - `keys`: a new key made (its secret, prefix, hash);
//! - `settings`: reading and changing the settings, which the routes call.
//!
//! The rules for a key's name and the origin list are the dashboard's too,
//! so they live once in `conduit_types::developer`.

mod keys;
mod settings;

pub use keys::{new_key, NewKey, PREFIX_CHARS, SECRET_PREFIX};
pub use settings::{create_key, read, replace_origins, revoke_key};
