//! What a user uploads on an instance's certificates tab, read and checked:
//! a client identity (a PEM certificate chain with its private key, or a
//! PKCS#12 archive), a CA certificate for the instance to trust, or both.
//!
//! Pure functions: no HTTP, no storage. Errors are one sentence each, tied to
//! the form field they belong to, and never include key material or the
//! passphrase.

mod keys;
mod pem;
mod pkcs12;

use std::fmt;

use base64::Engine as _;
use conduit_types::draft::{self, CertificateUpload, IdentityUpload};
use conduit_types::{Expiry, FieldError, StoredCertificates};

use pkcs8::der::Decode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::public_key::PublicKey;

pub use keys::Scheme;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";
const OID_ED25519: &str = "1.3.101.112";
const OID_ED448: &str = "1.3.101.113";

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

/// A private key as unencrypted PKCS#8 DER. Its `Debug` never shows the key,
/// and its bytes are overwritten when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey(Vec<u8>);

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
        pem_encode("PRIVATE KEY", &self.0)
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

/// A checked client identity: the chain (leaf first) as DER, the decrypted
/// key, and the leaf's details.
#[derive(Clone, Debug)]
pub struct ParsedIdentity {
    pub chain_der: Vec<Vec<u8>>,
    pub private_key: PrivateKey,
    pub info: CertificateInfo,
}

/// The form field an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Certificate,
    PrivateKey,
    Passphrase,
    Pkcs12,
    CaCertificate,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Certificate => draft::FIELD_CERTIFICATE,
            Field::PrivateKey => draft::FIELD_CERT_PRIVATE_KEY,
            Field::Passphrase => draft::FIELD_CERT_PASSPHRASE,
            Field::Pkcs12 => draft::FIELD_CERT_PKCS12,
            Field::CaCertificate => draft::FIELD_CERT_CA,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Field::CaCertificate => "CA certificate",
            _ => "certificate",
        }
    }
}

/// Why an upload was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("The {} is not a PEM certificate (a block starting with -----BEGIN CERTIFICATE-----).", .0.noun())]
    NotPemCertificate(Field),
    #[error("The {} could not be read as an X.509 certificate.", .0.noun())]
    InvalidCertificate(Field),
    #[error("The {} expired on {}.", .field.noun(), date(*.not_after))]
    Expired { field: Field, not_after: i64 },
    #[error("The {} is not valid before {}.", .field.noun(), date(*.not_before))]
    NotYetValid { field: Field, not_before: i64 },
    #[error("The private key is not a PEM private key (a block starting with -----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----).")]
    NotPemKey,
    #[error("The private key could not be read.")]
    InvalidKey,
    #[error("The private key's type is not supported; use RSA (2048 to 8192 bits), ECDSA P-256 or P-384, or Ed25519.")]
    UnsupportedKey,
    #[error("The private key is encrypted with {}, which conduit does not read. Convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-pkcs8.pem`{}.", .0.name, if .0.legacy { " (OpenSSL 3 reads it only with `-provider legacy -provider default` added)" } else { "" })]
    KeyEncryptionNotRead(Scheme),
    #[error("The private key does not belong to the certificate.")]
    KeyMismatch,
    #[error("The private key is encrypted; enter its passphrase.")]
    PassphraseRequired,
    #[error("The passphrase does not decrypt the private key.")]
    WrongPassphrase,
    #[error("The file is not a PKCS#12 (.p12 or .pfx) archive.")]
    InvalidPkcs12,
    #[error("The PKCS#12 archive did not arrive intact (it is not base64); choose the file again.")]
    Pkcs12NotBase64,
    #[error("The PKCS#12 archive uses an encryption or integrity scheme that conduit does not read. Export it again with `openssl pkcs12 -in old.p12 -nodes -out all.pem` and `openssl pkcs12 -export -in all.pem -out new.p12` (then delete all.pem).")]
    UnsupportedPkcs12,
    #[error("This is a DER-encoded certificate, not a PKCS#12 archive. Choose it as a certificate file, or convert it with `openssl x509 -inform DER -in certificate.der -out certificate.pem` and paste that.")]
    DerCertificate,
    #[error("Upload a client certificate with its private key, a CA certificate, or both.")]
    NothingUploaded,
    #[error("The passphrase does not open the PKCS#12 archive.")]
    WrongPkcs12Passphrase,
    #[error("The PKCS#12 archive holds no private key.")]
    Pkcs12WithoutKey,
    #[error("The PKCS#12 archive holds no certificate for its private key.")]
    Pkcs12WithoutCertificate,
}

impl CertificateError {
    /// The form field the error belongs to.
    pub fn field(&self) -> Field {
        use CertificateError::*;
        match self {
            NotPemCertificate(field) | InvalidCertificate(field) => *field,
            Expired { field, .. } | NotYetValid { field, .. } => *field,
            NotPemKey | InvalidKey | UnsupportedKey | KeyEncryptionNotRead(_) | KeyMismatch => Field::PrivateKey,
            PassphraseRequired | WrongPassphrase | WrongPkcs12Passphrase => Field::Passphrase,
            InvalidPkcs12 | Pkcs12NotBase64 | UnsupportedPkcs12 | DerCertificate | Pkcs12WithoutKey
            | Pkcs12WithoutCertificate => Field::Pkcs12,
            NothingUploaded => Field::Certificate,
        }
    }
}

impl From<CertificateError> for FieldError {
    fn from(e: CertificateError) -> FieldError {
        FieldError { field: e.field().as_str().to_owned(), message: e.to_string() }
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

/// A checked upload: what the instance would present and trust.
#[derive(Clone, Debug)]
pub struct CheckedUpload {
    /// The client certificate and key; none when a CA was uploaded alone.
    pub identity: Option<ParsedIdentity>,
    /// The CA certificate(s) as uploaded, when there were any.
    pub ca_pem: Option<String>,
    pub info: StoredCertificates,
}

impl CheckedUpload {
    /// The client certificate chain as PEM, leaf first.
    pub fn chain_pem(&self) -> Option<String> {
        let identity = self.identity.as_ref()?;
        Some(identity.chain_der.iter().map(|der| pem_encode("CERTIFICATE", der)).collect())
    }

    /// What the TLS client presents and trusts with this upload.
    pub fn tls(&self) -> crate::engine::TlsMaterial {
        crate::engine::TlsMaterial {
            ca_pem: self.ca_pem.clone(),
            client: self.identity.as_ref().map(|identity| crate::engine::ClientIdentity {
                cert_pem: self.chain_pem().unwrap_or_default(),
                key_pem: identity.private_key.pkcs8_pem(),
            }),
        }
    }
}

/// Reads and checks a whole upload, identity and CA both, so every field's
/// problem is reported at once. A CA may come alone.
pub fn check_upload(upload: &CertificateUpload, now: i64) -> Result<CheckedUpload, Vec<FieldError>> {
    let identity = upload
        .identity
        .as_ref()
        .map(|identity| Upload::from_wire(identity).and_then(|u| parse_identity(&u, now)))
        .transpose();
    let ca_pem = upload.ca_certificate_pem.as_deref().map(str::trim).filter(|pem| !pem.is_empty());
    let ca = ca_pem.map(|pem| parse_ca(pem, now)).transpose();
    match (identity, ca) {
        (Ok(None), Ok(None)) => Err(vec![CertificateError::NothingUploaded.into()]),
        (Ok(identity), Ok(ca)) => {
            let info = StoredCertificates {
                client: identity.as_ref().map(|i| i.info.clone().into()),
                ca: ca.map(Into::into),
            };
            Ok(CheckedUpload { identity, ca_pem: ca_pem.map(|pem| format!("{pem}\n")), info })
        }
        (identity, ca) => Err(identity.err().into_iter().chain(ca.err()).map(FieldError::from).collect()),
    }
}

/// PEM text of one DER block.
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    pem::encode(label, der)
}

/// Reads and checks a client identity: the certificate must be current and
/// the key must belong to it.
pub fn parse_identity(upload: &Upload, now: i64) -> Result<ParsedIdentity, CertificateError> {
    match upload {
        Upload::Pem { certificate_pem, private_key_pem, passphrase } => {
            let chain_der = pem_certificates(certificate_pem, Field::Certificate)?;
            let leaf = parse_certificate(&chain_der[0], Field::Certificate)?;
            let key = keys::private_key(private_key_pem, passphrase.as_deref(), &leaf)?;
            if !key_matches(&key, &leaf)? {
                return Err(CertificateError::KeyMismatch);
            }
            let info = info(&leaf, &chain_der[0]);
            check_validity(&info, now, Field::Certificate)?;
            Ok(ParsedIdentity { chain_der, private_key: key, info })
        }
        Upload::Pkcs12 { der, passphrase } => pkcs12::parse(der, passphrase, now),
    }
}

/// Reads and checks the instance's CA certificate (the first one, if the PEM
/// holds several): it must be a certificate and current.
pub fn parse_ca(pem: &str, now: i64) -> Result<CertificateInfo, CertificateError> {
    let ders = pem_certificates(pem, Field::CaCertificate)?;
    let mut first = None;
    for der in &ders {
        let cert = parse_certificate(der, Field::CaCertificate)?;
        let info = info(&cert, der);
        check_validity(&info, now, Field::CaCertificate)?;
        first.get_or_insert(info);
    }
    first.ok_or(CertificateError::NotPemCertificate(Field::CaCertificate))
}

fn pem_certificates(text: &str, field: Field) -> Result<Vec<Vec<u8>>, CertificateError> {
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

// ---------------------------------------------------------------------------
// certificates and keys
// ---------------------------------------------------------------------------

pub(crate) fn parse_certificate(der: &[u8], field: Field) -> Result<X509Certificate<'_>, CertificateError> {
    X509Certificate::from_der(der).map(|(_, cert)| cert).map_err(|_| CertificateError::InvalidCertificate(field))
}

pub(crate) fn check_validity(info: &CertificateInfo, now: i64, field: Field) -> Result<(), CertificateError> {
    if info.not_after < now {
        return Err(CertificateError::Expired { field, not_after: info.not_after });
    }
    if info.not_before > now {
        return Err(CertificateError::NotYetValid { field, not_before: info.not_before });
    }
    Ok(())
}

pub(crate) fn info(cert: &X509Certificate<'_>, der: &[u8]) -> CertificateInfo {
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
pub(crate) fn key_matches(key: &PrivateKey, cert: &X509Certificate<'_>) -> Result<bool, CertificateError> {
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

fn date(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => unix.to_string(),
    }
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
        assert_eq!(format!("{:?}", PrivateKey(vec![0x42; 8])), "PrivateKey(<redacted>)");
    }

    #[test]
    fn fingerprint_format() {
        let fp = fingerprint(b"");
        assert!(fp.starts_with("E3:B0:C4:42"), "{fp}");
        assert_eq!(fp.len(), 32 * 3 - 1);
    }

    #[test]
    fn errors_name_their_field() {
        assert_eq!(CertificateError::KeyMismatch.field(), Field::PrivateKey);
        assert_eq!(CertificateError::WrongPassphrase.field().as_str(), "passphrase");
        assert_eq!(CertificateError::NotPemCertificate(Field::CaCertificate).field().as_str(), "ca_certificate");
        let expired = CertificateError::Expired { field: Field::Certificate, not_after: 0 };
        assert_eq!(expired.to_string(), "The certificate expired on 1970-01-01.");
    }
}
