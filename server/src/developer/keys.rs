//! Company API keys: making a new key (its name's rule is
//! `conduit_types::developer::key_name`). A key
//! is `ck_` and 256 random bits in URL-safe base64; it is stored only as its
//! hash (the one used for session tokens) and shown by its first characters.

use crate::tokens::{prefixed_secret, token_hash};

/// What every key's secret starts with, so people and secret scanners can
/// tell a conduit key when they see one.
pub const SECRET_PREFIX: &str = "ck_";
/// How many of the secret's first characters are kept and shown.
pub const PREFIX_CHARS: usize = 10;

/// A key just made: the secret, answered once and never stored, and what is.
pub struct NewKey {
    pub secret: String,
    pub prefix: String,
    pub secret_hash: String,
}

// No Debug: the secret must not end up in a log line by accident.

/// A new key with a fresh random secret.
pub fn new_key() -> NewKey {
    let secret = prefixed_secret(SECRET_PREFIX);
    NewKey { prefix: secret.chars().take(PREFIX_CHARS).collect(), secret_hash: token_hash(&secret), secret }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    #[test]
    fn a_new_key_is_256_random_bits_stored_only_as_its_hash() {
        let key = new_key();
        let body = key.secret.strip_prefix("ck_").expect("starts with ck_");
        let bits = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).expect("URL-safe base64");
        assert_eq!(bits.len(), 32);
        assert!(key.secret.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')), "{}", key.secret);
        assert_eq!(key.secret_hash, token_hash(&key.secret));
        assert!(!key.secret_hash.contains(body) && !key.secret_hash.contains(&key.prefix));
        assert_ne!(new_key().secret, key.secret);
    }

    #[test]
    fn the_prefix_is_the_secrets_first_characters_and_tells_keys_apart() {
        let key = new_key();
        assert_eq!(key.prefix.len(), PREFIX_CHARS);
        assert!(key.secret.starts_with(&key.prefix) && key.prefix.starts_with("ck_"));
        assert!(key.secret.len() > key.prefix.len() + 32, "the prefix gives little of the secret away");
        let prefixes: std::collections::BTreeSet<String> = (0..50).map(|_| new_key().prefix).collect();
        assert_eq!(prefixes.len(), 50);
    }
}
