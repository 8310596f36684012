//! Why an upload was refused: one sentence per problem, tied to the form
//! field it belongs to, never holding key material or the passphrase.

use conduit_types::draft;
use conduit_types::FieldError;
use serde::Serialize;

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

    pub(super) fn noun(self) -> &'static str {
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

/// An encryption scheme conduit does not read, by the name OpenSSL gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme {
    pub name: &'static str,
    /// OpenSSL 3 reads it only with its legacy provider.
    pub legacy: bool,
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
    fn errors_name_their_field() {
        assert_eq!(CertificateError::KeyMismatch.field(), Field::PrivateKey);
        assert_eq!(CertificateError::WrongPassphrase.field().as_str(), "passphrase");
        assert_eq!(CertificateError::NotPemCertificate(Field::CaCertificate).field().as_str(), "ca_certificate");
        let expired = CertificateError::Expired { field: Field::Certificate, not_after: 0 };
        assert_eq!(expired.to_string(), "The certificate expired on 1970-01-01.");
    }
}
