//! Passwords, session tokens, and the user a session token belongs to.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::ApiResult;
use crate::store::{SessionUser, Store};
pub use crate::tokens::token_hash;

pub const SESSION_COOKIE: &str = "conduit_session";
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("could not hash a password: {e}"))
}

/// Checks `password` against a stored hash. With no stored hash (unknown
/// email) a dummy hash is checked, so both cases take about as long.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

/// A new random session token (sent in the cookie) and the hash that is stored.
pub fn new_session_token() -> (String, String) {
    let token = hex::encode(crate::tokens::random_bytes());
    let hash = token_hash(&token);
    (token, hash)
}

/// The user whose session `token` (the cookie's value) is, if it is a
/// live session.
pub async fn signed_in(store: &Store, token: Option<&str>) -> ApiResult<Option<SessionUser>> {
    let Some(token) = token else {
        return Ok(None);
    };
    Ok(store.session_user(&token_hash(token)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("correct horse"));
        assert!(verify_password("correct horse", Some(&hash)));
        assert!(!verify_password("wrong horse", Some(&hash)));
        assert!(!verify_password("correct horse", None));
        assert!(!verify_password("correct horse", Some("not a hash")));
    }

    #[test]
    fn session_tokens_are_random_and_stored_hashed() {
        let (a, a_hash) = new_session_token();
        let (b, _) = new_session_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(a_hash, token_hash(&a));
        assert_ne!(a_hash, a);
    }
}
