//! Embed sessions in plain Rust: a host portal's backend starts one with a
//! company API key, the iframe exchanges its one-time secret for a bearer
//! token. Each child does one job:
//!
//! - `access`: what a session's bearer token may do;
//! - `request`: checking a session request (origin, user name) and the lifetimes;
//! - `permissions`: the permission set as stored;
//! - `sessions`: minting and exchanging, which the routes call.

mod access;
mod permissions;
mod request;
mod sessions;

pub use access::{EmbedGrant, Use};
pub use permissions::{parse_permissions, store_permissions};
pub use request::{check_request, expires_at, CheckedRequest, SECRET_SECONDS, TOKEN_SECONDS, TOKEN_SECONDS_RANGE};
pub use sessions::{exchange, grant, mint, BAD_KEY, BAD_SECRET, OTHER_ORIGIN, SECRET_PREFIX, TOKEN_PREFIX};
