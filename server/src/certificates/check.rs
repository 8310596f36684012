//! Reading and checking a whole upload: the client identity (its key
//! decrypted, belonging to its certificate, both current) and the CA, every
//! field's problem reported at once; and what the TLS client then uses.

use conduit_types::draft::CertificateUpload;
use conduit_types::{FieldError, StoredCertificates};

use super::error::{CertificateError, Field};
use super::pem;
use super::upload::{ParsedIdentity, Upload};
use super::x509::{check_validity, info, key_matches, parse_certificate, pem_certificates, CertificateInfo};
use super::{keys, pkcs12};
use crate::credentials::{ClientIdentity, TlsMaterial};

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
        Some(identity.chain_der.iter().map(|der| pem::encode("CERTIFICATE", der)).collect())
    }

    /// What the TLS client presents and trusts with this upload.
    pub fn tls(&self) -> TlsMaterial {
        TlsMaterial {
            ca_pem: self.ca_pem.clone(),
            client: self.identity.as_ref().map(|identity| ClientIdentity {
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
