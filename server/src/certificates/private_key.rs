//! A client identity's private key, kept as unencrypted PKCS#8 DER: never
//! shown by `Debug`, and overwritten when dropped.

use std::fmt;

use super::pem;

/// A private key as unencrypted PKCS#8 DER. Its `Debug` never shows the key,
/// and its bytes are overwritten when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey(pub(super) Vec<u8>);

impl PrivateKey {
    /// A key read back from storage, where only checked keys are written.
    pub fn from_pkcs8_der(der: Vec<u8>) -> PrivateKey {
        PrivateKey(der)
    }

    /// The key as PKCS#8 DER.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.0
    }

    /// The key as unencrypted PKCS#8 PEM text, for the TLS client.
    pub fn pkcs8_pem(&self) -> String {
        pem::encode("PRIVATE KEY", &self.0)
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl Drop for PrivateKey {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(|b| *b = 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_does_not_print() {
        assert_eq!(format!("{:?}", PrivateKey::from_pkcs8_der(vec![0x42; 8])), "PrivateKey(<redacted>)");
    }
}
