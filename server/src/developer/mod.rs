//! The developer settings in plain Rust: the company's API keys and the
//! origins allowed to embed. Each child does one job:
//!
//! - `keys`: a key's name checked, a new key made (its secret, prefix, hash);
//! - `origins`: the list of allowed origins checked and normalised;
//! - `settings`: reading and changing the settings, which the routes call.

mod keys;
mod origins;
mod settings;

pub use keys::{key_name, new_key, NewKey, PREFIX_CHARS, SECRET_PREFIX};
pub use origins::embed_origins;
pub use settings::{create_key, read, replace_origins, revoke_key};
