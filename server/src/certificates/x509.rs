//! X.509 certificates read: the details the dashboard shows, their
//! validity, whether a private key belongs to one, and the certificates in
//! PEM text.

use conduit_types::Expiry;
use pkcs8::der::Decode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::public_key::PublicKey;

use super::error::{CertificateError, Field};
use super::oid::{OID_EC, OID_ED25519, OID_ED448, OID_P256, OID_P384, OID_P521, OID_RSA};
use super::pem;
use super::private_key::PrivateKey;

/// What the dashboard shows about a certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    /// The subject's distinguished name, e.g. `CN=client.example.com, O=Acme`.
    pub subject: String,
    pub issuer: String,
    /// DNS names, IP addresses, e-mail addresses and URIs, as text.
    pub subject_alt_names: Vec<String>,
    /// Unix seconds.
    pub not_before: i64,
    /// Unix seconds.
    pub not_after: i64,
    /// SHA-256 of the certificate's DER, as colon-separated upper-case hex.
    pub sha256_fingerprint: String,
    /// e.g. `ECDSA P-256`, `RSA 2048`, `Ed25519`.
    pub key_type: String,
}

impl CertificateInfo {
    pub fn expiry_warning(&self, now: i64) -> Option<Expiry> {
        Expiry::at(self.not_after, now)
    }
}

impl From<CertificateInfo> for conduit_types::CertificateInfo {
    fn from(i: CertificateInfo) -> conduit_types::CertificateInfo {
        conduit_types::CertificateInfo {
            subject: i.subject,
            issuer: i.issuer,
            subject_alt_names: i.subject_alt_names,
            not_before: i.not_before,
            not_after: i.not_after,
            sha256_fingerprint: i.sha256_fingerprint,
            key_type: i.key_type,
        }
    }
}

/// The DER of each certificate in PEM `text`; at least one.
pub(super) fn pem_certificates(text: &str, field: Field) -> Result<Vec<Vec<u8>>, CertificateError> {
    let mut ders = Vec::new();
    for block in pem::blocks(text) {
        if block.label == "CERTIFICATE" {
            ders.push(block.der().ok_or(CertificateError::InvalidCertificate(field))?);
        }
    }
    if ders.is_empty() {
        return Err(CertificateError::NotPemCertificate(field));
    }
    Ok(ders)
}

pub(super) fn parse_certificate(der: &[u8], field: Field) -> Result<X509Certificate<'_>, CertificateError> {
    X509Certificate::from_der(der).map(|(_, cert)| cert).map_err(|_| CertificateError::InvalidCertificate(field))
}

pub(super) fn check_validity(info: &CertificateInfo, now: i64, field: Field) -> Result<(), CertificateError> {
    if info.not_after < now {
        return Err(CertificateError::Expired { field, not_after: info.not_after });
    }
    if info.not_before > now {
        return Err(CertificateError::NotYetValid { field, not_before: info.not_before });
    }
    Ok(())
}

pub(super) fn info(cert: &X509Certificate<'_>, der: &[u8]) -> CertificateInfo {
    let mut subject_alt_names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(n) => subject_alt_names.push((*n).to_owned()),
                GeneralName::RFC822Name(n) => subject_alt_names.push((*n).to_owned()),
                GeneralName::URI(n) => subject_alt_names.push((*n).to_owned()),
                GeneralName::IPAddress(bytes) => {
                    if let Ok(v4) = <[u8; 4]>::try_from(*bytes) {
                        subject_alt_names.push(std::net::Ipv4Addr::from(v4).to_string());
                    } else if let Ok(v6) = <[u8; 16]>::try_from(*bytes) {
                        subject_alt_names.push(std::net::Ipv6Addr::from(v6).to_string());
                    }
                }
                _ => {}
            }
        }
    }
    CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        subject_alt_names,
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        sha256_fingerprint: fingerprint(der),
        key_type: key_type(cert),
    }
}

fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn curve_of(cert: &X509Certificate<'_>) -> Option<String> {
    cert.public_key().algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).map(|o| o.to_id_string())
}

fn key_type(cert: &X509Certificate<'_>) -> String {
    let spki = cert.public_key();
    let algorithm = spki.algorithm.algorithm.to_id_string();
    match algorithm.as_str() {
        OID_RSA => match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => format!("RSA {}", rsa.key_size()),
            _ => "RSA".to_owned(),
        },
        OID_EC => match curve_of(cert).as_deref() {
            Some(OID_P256) => "ECDSA P-256".to_owned(),
            Some(OID_P384) => "ECDSA P-384".to_owned(),
            Some(OID_P521) => "ECDSA P-521".to_owned(),
            Some(other) => format!("ECDSA ({other})"),
            None => "ECDSA".to_owned(),
        },
        OID_ED25519 => "Ed25519".to_owned(),
        OID_ED448 => "Ed448".to_owned(),
        other => format!("unknown ({other})"),
    }
}

/// Whether the key's public key is the certificate's. Keys ring cannot load
/// are refused as unsupported.
pub(super) fn key_matches(key: &PrivateKey, cert: &X509Certificate<'_>) -> Result<bool, CertificateError> {
    use ring::signature::{self, KeyPair};

    let info = pkcs8::PrivateKeyInfo::from_der(key.pkcs8_der()).map_err(|_| CertificateError::InvalidKey)?;
    let algorithm = info.algorithm.oid.to_string();
    let public: Vec<u8> = match algorithm.as_str() {
        OID_ED25519 => signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(key.pkcs8_der())
            .map_err(|_| CertificateError::InvalidKey)?
            .public_key()
            .as_ref()
            .to_vec(),
        OID_EC => {
            let curve = info.algorithm.parameters.and_then(|p| p.decode_as::<pkcs8::ObjectIdentifier>().ok());
            let alg = match curve.map(|c| c.to_string()).as_deref() {
                Some(OID_P256) => &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                Some(OID_P384) => &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
                _ => return Err(CertificateError::UnsupportedKey),
            };
            // ring refuses a key whose curve differs from the one asked for,
            // and a key whose embedded public key is not its own.
            let rng = ring::rand::SystemRandom::new();
            match signature::EcdsaKeyPair::from_pkcs8(alg, key.pkcs8_der(), &rng) {
                Ok(pair) => pair.public_key().as_ref().to_vec(),
                Err(_) => return Err(CertificateError::InvalidKey),
            }
        }
        OID_RSA => signature::RsaKeyPair::from_pkcs8(key.pkcs8_der())
            .map_err(|_| CertificateError::UnsupportedKey)?
            .public()
            .as_ref()
            .to_vec(),
        _ => return Err(CertificateError::UnsupportedKey),
    };
    Ok(public.as_slice() == &*cert.public_key().subject_public_key.data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_format() {
        let fp = fingerprint(b"");
        assert!(fp.starts_with("E3:B0:C4:42"), "{fp}");
        assert_eq!(fp.len(), 32 * 3 - 1);
    }
}
