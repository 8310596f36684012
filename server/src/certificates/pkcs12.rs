//! PKCS#12 (.p12, .pfx) archives. `p12-keystore` checks the archive's MAC
//! and reads its usual shape (a shrouded key bag and certificate bags);
//! archives whose key is in a plain key bag (`openssl pkcs12 -export
//! -keypbe NONE`), which it passes over, are read here with the RustCrypto
//! `pkcs12` types, after it has checked their MAC.

use pkcs8::der::asn1::{AnyRef, OctetString};
use pkcs8::der::{Decode, Encode};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::error::{CertificateError, Field};
use super::keys;
use super::private_key::PrivateKey;
use super::upload::ParsedIdentity;
use super::x509::{check_validity, info, key_matches, parse_certificate};

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
const OID_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
const OID_CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
const OID_X509_CERT: &str = "1.2.840.113549.1.9.22.1";

pub(crate) fn parse(der: &[u8], passphrase: &str, now: i64) -> Result<ParsedIdentity, CertificateError> {
    use p12_keystore::error::Error as P12Error;
    use p12_keystore::{KeyStore, KeyStoreEntry};

    if X509Certificate::from_der(der).is_ok() {
        return Err(CertificateError::DerCertificate);
    }
    let store = KeyStore::from_pkcs12(der, passphrase).map_err(|e| match e {
        P12Error::MacError(_) | P12Error::UnpadError => CertificateError::WrongPkcs12Passphrase,
        P12Error::Pkcs5Error(_) => CertificateError::WrongPkcs12Passphrase,
        P12Error::UnsupportedEncryptionScheme | P12Error::UnsupportedMacAlgorithm => {
            CertificateError::UnsupportedPkcs12
        }
        _ => CertificateError::InvalidPkcs12,
    })?;
    let (key, mut candidates) = match store.private_key_chain() {
        Some((_, key_chain)) => {
            let key = PrivateKey(key_chain.key().to_vec());
            let mut candidates: Vec<Vec<u8>> = key_chain.chain().iter().map(|c| c.as_der().to_vec()).collect();
            if candidates.is_empty() {
                candidates = store
                    .entries()
                    .filter_map(|(_, entry)| match entry {
                        KeyStoreEntry::Certificate(c) => Some(c.as_der().to_vec()),
                        _ => None,
                    })
                    .collect();
            }
            (key, candidates)
        }
        None => {
            let (mut keys, certificates) = bags(der, passphrase)?;
            (keys.pop().ok_or(CertificateError::Pkcs12WithoutKey)?, certificates)
        }
    };
    if pkcs8::PrivateKeyInfo::from_der(key.pkcs8_der()).is_err() {
        return Err(CertificateError::InvalidKey);
    }
    if candidates.is_empty() {
        return Err(CertificateError::Pkcs12WithoutCertificate);
    }
    let mut leaf_index = None;
    for (i, der) in candidates.iter().enumerate() {
        let cert = parse_certificate(der, Field::Pkcs12)?;
        if key_matches(&key, &cert)? {
            leaf_index = Some(i);
            break;
        }
    }
    let leaf_index = leaf_index.ok_or(CertificateError::KeyMismatch)?;
    let leaf_der = candidates.remove(leaf_index);
    candidates.insert(0, leaf_der);
    let leaf = parse_certificate(&candidates[0], Field::Pkcs12)?;
    let info = info(&leaf, &candidates[0]);
    check_validity(&info, now, Field::Certificate)?;
    Ok(ParsedIdentity { chain_der: candidates, private_key: key, info })
}

/// The keys (plain or shrouded) and X.509 certificates in an archive whose
/// MAC has been checked.
fn bags(der: &[u8], passphrase: &str) -> Result<(Vec<PrivateKey>, Vec<Vec<u8>>), CertificateError> {
    use pkcs12::authenticated_safe::AuthenticatedSafe;
    use pkcs12::safe_bag::SafeContents;

    let invalid = |_| CertificateError::InvalidPkcs12;
    let pfx = pkcs12::pfx::Pfx::from_der(der).map_err(invalid)?;
    if pfx.auth_safe.content_type.to_string() != OID_DATA {
        return Err(CertificateError::UnsupportedPkcs12);
    }
    let safes_der = pfx.auth_safe.content.decode_as::<OctetString>().map_err(invalid)?;
    let safes = AuthenticatedSafe::from_der(safes_der.as_bytes()).map_err(invalid)?;
    let (mut keys, mut certificates) = (Vec::new(), Vec::new());
    for safe in safes {
        let contents = match safe.content_type.to_string().as_str() {
            OID_DATA => PrivateKey(safe.content.decode_as::<OctetString>().map_err(invalid)?.into_bytes()),
            OID_ENCRYPTED_DATA => {
                let encrypted = safe.content.decode_as::<cms::encrypted_data::EncryptedData>().map_err(invalid)?;
                let info = encrypted.enc_content_info;
                let Some(data) = info.encrypted_content else { continue };
                let algorithm_der = info.content_enc_alg.to_der().map_err(invalid)?;
                let algorithm = pkcs8::AlgorithmIdentifierRef::from_der(&algorithm_der).map_err(invalid)?;
                keys::decrypt(&algorithm, data.as_bytes(), passphrase).map_err(pkcs12_error)?
            }
            _ => return Err(CertificateError::UnsupportedPkcs12),
        };
        for bag in SafeContents::from_der(contents.pkcs8_der()).map_err(invalid)? {
            // The bag's value arrives with its `[0] EXPLICIT` wrapping.
            let wrapped = PrivateKey(bag.bag_value.clone());
            let value = AnyRef::from_der(wrapped.pkcs8_der()).map_err(invalid)?.value();
            match bag.bag_id.to_string().as_str() {
                OID_KEY_BAG => keys.push(PrivateKey(value.to_vec())),
                OID_SHROUDED_KEY_BAG => {
                    let (algorithm, data) = encrypted_key_info(value).ok_or(CertificateError::InvalidPkcs12)?;
                    let algorithm = pkcs8::AlgorithmIdentifierRef::from_der(&algorithm).map_err(invalid)?;
                    keys.push(keys::decrypt(&algorithm, &data, passphrase).map_err(pkcs12_error)?);
                }
                OID_CERT_BAG => {
                    let bag = pkcs12::cert_type::CertBag::from_der(value).map_err(invalid)?;
                    if bag.cert_id.to_string() == OID_X509_CERT {
                        certificates.push(bag.cert_value.into_bytes());
                    }
                }
                _ => {}
            }
        }
    }
    Ok((keys, certificates))
}

/// An EncryptedPrivateKeyInfo's algorithm (as DER) and encrypted data.
fn encrypted_key_info(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use pkcs8::der::asn1::OctetStringRef;
    use pkcs8::der::{Reader, SliceReader};
    let mut reader = SliceReader::new(der).ok()?;
    reader
        .sequence(|r| {
            let algorithm: AnyRef<'_> = r.decode()?;
            let data = OctetStringRef::decode(r)?;
            Ok((algorithm.to_der()?, data.as_bytes().to_vec()))
        })
        .ok()
}

fn pkcs12_error(e: keys::PbeError) -> CertificateError {
    match e {
        keys::PbeError::Wrong => CertificateError::WrongPkcs12Passphrase,
        keys::PbeError::NotRead(_) => CertificateError::UnsupportedPkcs12,
    }
}
