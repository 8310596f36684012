//! A client identity as it is uploaded (PEM or PKCS#12, from the draft's
//! wire form) and as it is once read and checked.

use std::fmt;

use base64::Engine as _;
use conduit_types::draft::IdentityUpload;

use super::error::CertificateError;
use super::private_key::PrivateKey;
use super::x509::CertificateInfo;

/// A client identity as uploaded.
pub enum Upload {
    /// A PEM certificate (the leaf first, optionally followed by its chain)
    /// and a PEM private key (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC).
    Pem {
        certificate_pem: String,
        private_key_pem: String,
        passphrase: Option<String>,
    },
    /// A PKCS#12 (.p12 / .pfx) archive and its passphrase.
    Pkcs12 { der: Vec<u8>, passphrase: String },
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Upload::Pem { certificate_pem, passphrase, .. } => f
                .debug_struct("Pem")
                .field("certificate_pem_len", &certificate_pem.len())
                .field("private_key_pem", &"<redacted>")
                .field("passphrase", &passphrase.as_ref().map(|_| "<redacted>"))
                .finish(),
            Upload::Pkcs12 { der, .. } => f
                .debug_struct("Pkcs12")
                .field("der_len", &der.len())
                .field("passphrase", &"<redacted>")
                .finish(),
        }
    }
}

impl Upload {
    /// The identity as it arrived in a draft or an inspect request: an empty
    /// passphrase means none, and a PKCS#12 archive arrives as base64.
    pub fn from_wire(identity: &IdentityUpload) -> Result<Upload, CertificateError> {
        match identity {
            IdentityUpload::Pem { certificate_pem, private_key_pem, passphrase } => Ok(Upload::Pem {
                certificate_pem: certificate_pem.clone(),
                private_key_pem: private_key_pem.clone(),
                passphrase: (!passphrase.is_empty()).then(|| passphrase.clone()),
            }),
            IdentityUpload::Pkcs12 { pkcs12_base64, passphrase } => {
                let compact: String = pkcs12_base64.split_ascii_whitespace().collect();
                let der = base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .map_err(|_| CertificateError::Pkcs12NotBase64)?;
                Ok(Upload::Pkcs12 { der, passphrase: passphrase.clone() })
            }
        }
    }
}

/// A checked client identity: the chain (leaf first) as DER, the decrypted
/// key, and the leaf's details.
#[derive(Clone, Debug)]
pub struct ParsedIdentity {
    pub chain_der: Vec<Vec<u8>>,
    pub private_key: PrivateKey,
    pub info: CertificateInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let upload = Upload::Pem {
            certificate_pem: "cert".into(),
            private_key_pem: "SECRET-KEY".into(),
            passphrase: Some("hunter2".into()),
        };
        let shown = format!("{upload:?}");
        assert!(!shown.contains("SECRET-KEY") && !shown.contains("hunter2"), "{shown}");
        let p12 = Upload::Pkcs12 { der: vec![1, 2, 3], passphrase: "hunter2".into() };
        assert!(!format!("{p12:?}").contains("hunter2"));
        assert_eq!(format!("{:?}", PrivateKey::from_pkcs8_der(vec![0x42; 8])), "PrivateKey(<redacted>)");
    }
}
