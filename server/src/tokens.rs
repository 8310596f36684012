//! Random tokens and the hash of them that is stored: session tokens and
//! company API keys alike are 256 random bits, kept only as their SHA-256,
//! so a leaked database holds nothing that signs in or mints a session.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 bytes (256 bits) from the operating system's random source.
pub fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new random secret: `prefix` and 256 random bits in URL-safe base64,
/// so people and secret scanners can tell what it is.
pub fn prefixed_secret(prefix: &str) -> String {
    use base64::Engine as _;
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes()))
}

/// The stored form of a token: its SHA-256, in hex. The tokens are random
/// and long, so a plain hash cannot be guessed back.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_differ_each_time() {
        assert_ne!(random_bytes(), random_bytes());
    }

    #[test]
    fn a_token_hash_is_sha256_in_hex_and_never_the_token() {
        let hash = token_hash("abc");
        assert_eq!(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(token_hash("abd"), hash);
    }
}
