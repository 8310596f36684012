//! Private keys as OpenSSL writes them by default or with common options,
//! made into unencrypted PKCS#8:
//!
//! - PKCS#8, plain or encrypted with PBES2 (AES, DES-EDE3 or DES in CBC mode,
//!   PBKDF2 with HMAC-SHA1 or SHA-2), or with PKCS#12's PBE-SHA1-3DES and
//!   PBE-SHA1-2DES (`openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES`);
//! - PKCS#1 RSA and SEC1 EC keys, plain or in OpenSSL's traditional
//!   encryption (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: AES-256-CBC,…`), whose
//!   key is derived with `EVP_BytesToKey` (MD5, one round).
//!
//! Other schemes are refused with a sentence that names them and the
//! command that converts the key. The decryption itself is RustCrypto's.

use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use md5::{Digest, Md5};
use pkcs8::der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use pkcs8::der::{Decode, Encode, Reader, SliceReader};
use pkcs8::AlgorithmIdentifierRef;
use x509_parser::prelude::X509Certificate;

use super::pem::Block;
use super::error::{CertificateError, Scheme};
use super::oid::{OID_EC, OID_RSA};
use super::private_key::PrivateKey;

const OID_PBES2: &str = "1.2.840.113549.1.5.13";
const OID_PBE_SHA1_3DES: &str = "1.2.840.113549.1.12.1.3";
const OID_PBE_SHA1_2DES: &str = "1.2.840.113549.1.12.1.4";

/// Why encrypted data could not be decrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PbeError {
    /// The passphrase is wrong (or the data damaged).
    Wrong,
    NotRead(Scheme),
}

impl From<PbeError> for CertificateError {
    fn from(e: PbeError) -> CertificateError {
        match e {
            PbeError::Wrong => CertificateError::WrongPassphrase,
            PbeError::NotRead(scheme) => CertificateError::KeyEncryptionNotRead(scheme),
        }
    }
}

/// Decrypts data encrypted under `algorithm` (an AlgorithmIdentifier of
/// PKCS#8 or PKCS#12) with `passphrase`: PBES2, or PKCS#12's PBE with
/// SHA-1 and triple DES.
pub(crate) fn decrypt(algorithm: &AlgorithmIdentifierRef<'_>, data: &[u8], passphrase: &str) -> Result<PrivateKey, PbeError> {
    match algorithm.oid.to_string().as_str() {
        OID_PBES2 => {
            let parameters = algorithm.parameters.ok_or(PbeError::NotRead(unknown()))?;
            let params = pkcs8::pkcs5::pbes2::Parameters::try_from(parameters)
                .map_err(|_| PbeError::NotRead(pbes2_scheme(parameters)))?;
            // pkcs5 reports a failed unpadding (the usual sign of a wrong
            // passphrase) as an error too.
            params.decrypt(passphrase, data).map(PrivateKey).map_err(|e| match e {
                pkcs8::pkcs5::Error::UnsupportedAlgorithm { .. } | pkcs8::pkcs5::Error::AlgorithmParametersInvalid { .. } => {
                    PbeError::NotRead(pbes2_scheme(parameters))
                }
                _ => PbeError::Wrong,
            })
        }
        oid @ (OID_PBE_SHA1_3DES | OID_PBE_SHA1_2DES) => {
            let params = algorithm.parameters.ok_or(PbeError::Wrong)?.to_der().map_err(|_| PbeError::Wrong)?;
            let (salt, rounds) = SliceReader::new(&params)
                .and_then(|mut r| {
                    r.sequence(|r| {
                        let salt = OctetStringRef::decode(r)?.as_bytes().to_vec();
                        let rounds: i32 = r.decode()?;
                        Ok((salt, rounds))
                    })
                })
                .map_err(|_| PbeError::NotRead(unknown()))?;
            if rounds < 1 {
                return Err(PbeError::Wrong);
            }
            pkcs12_pbe(oid == OID_PBE_SHA1_3DES, &salt, rounds, data, passphrase)
        }
        other => Err(PbeError::NotRead(named(other).unwrap_or_else(unknown))),
    }
}

/// PKCS#12's password-based encryption (RFC 7292 appendix B key
/// derivation with SHA-1), with three- or two-key triple DES in CBC mode.
fn pkcs12_pbe(three_keys: bool, salt: &[u8], rounds: i32, data: &[u8], passphrase: &str) -> Result<PrivateKey, PbeError> {
    use pkcs12::kdf::{derive_key_utf8, Pkcs12KeyType};
    let key_len = if three_keys { 24 } else { 16 };
    let key = PrivateKey(
        derive_key_utf8::<sha1::Sha1>(passphrase, salt, Pkcs12KeyType::EncryptionKey, rounds, key_len)
            .map_err(|_| PbeError::Wrong)?,
    );
    let iv = derive_key_utf8::<sha1::Sha1>(passphrase, salt, Pkcs12KeyType::Iv, rounds, 8).map_err(|_| PbeError::Wrong)?;
    let plain = if three_keys {
        cbc::Decryptor::<des::TdesEde3>::new_from_slices(key.pkcs8_der(), &iv)
            .map_err(|_| PbeError::Wrong)?
            .decrypt_padded_vec_mut::<Pkcs7>(data)
    } else {
        cbc::Decryptor::<des::TdesEde2>::new_from_slices(key.pkcs8_der(), &iv)
            .map_err(|_| PbeError::Wrong)?
            .decrypt_padded_vec_mut::<Pkcs7>(data)
    };
    plain.map(PrivateKey).map_err(|_| PbeError::Wrong)
}

/// The key as unencrypted PKCS#8. PKCS#1 and SEC1 keys are wrapped; a SEC1 key
/// takes its curve from the certificate.
pub(crate) fn private_key(
    text: &str,
    passphrase: Option<&str>,
    leaf: &X509Certificate<'_>,
) -> Result<PrivateKey, CertificateError> {
    let block = super::pem::blocks(text)
        .into_iter()
        .find(|block| block.label.ends_with("PRIVATE KEY"))
        .ok_or(CertificateError::NotPemKey)?;
    let label = block.label;
    let der = if block.is_encrypted_traditional() {
        decrypt_traditional(&block, needed(passphrase)?)?
    } else {
        PrivateKey(block.der().ok_or(CertificateError::InvalidKey)?)
    };
    match label {
        "PRIVATE KEY" => {
            pkcs8::PrivateKeyInfo::from_der(der.pkcs8_der()).map_err(|_| CertificateError::InvalidKey)?;
            Ok(der)
        }
        "ENCRYPTED PRIVATE KEY" => {
            let (algorithm, data) = SliceReader::new(der.pkcs8_der())
                .and_then(|mut r| {
                    r.sequence(|r| {
                        let algorithm: AlgorithmIdentifierRef<'_> = r.decode()?;
                        let data = OctetStringRef::decode(r)?;
                        Ok((algorithm, data))
                    })
                })
                .map_err(|_| CertificateError::InvalidKey)?;
            let key = decrypt(&algorithm, data.as_bytes(), needed(passphrase)?)?;
            // A wrong passphrase can, rarely, still unpad; the result is then no key.
            pkcs8::PrivateKeyInfo::from_der(key.pkcs8_der()).map_err(|_| CertificateError::WrongPassphrase)?;
            Ok(key)
        }
        "RSA PRIVATE KEY" => wrap_pkcs8(OID_RSA, None, der.pkcs8_der()),
        "EC PRIVATE KEY" => {
            let curve = leaf
                .public_key()
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| oid.to_id_string())
                .ok_or(CertificateError::KeyMismatch)?;
            wrap_pkcs8(OID_EC, Some(&curve), der.pkcs8_der())
        }
        _ => Err(CertificateError::NotPemKey),
    }
}

fn needed(passphrase: Option<&str>) -> Result<&str, CertificateError> {
    passphrase.filter(|p| !p.is_empty()).ok_or(CertificateError::PassphraseRequired)
}

/// OpenSSL's traditional encryption of a PKCS#1 or SEC1 key: `DEK-Info`
/// names the cipher and gives the IV, whose first 8 bytes are the salt of
/// `EVP_BytesToKey` with MD5 and one round.
fn decrypt_traditional(block: &Block<'_>, passphrase: &str) -> Result<PrivateKey, CertificateError> {
    let dek_info = block.header("DEK-Info").ok_or(CertificateError::InvalidKey)?;
    let (cipher, iv_hex) = dek_info.split_once(',').ok_or(CertificateError::InvalidKey)?;
    let cipher = cipher.trim().to_ascii_uppercase();
    let iv = hex::decode(iv_hex.trim()).map_err(|_| CertificateError::InvalidKey)?;
    let data = block.der().ok_or(CertificateError::InvalidKey)?;
    let (key_len, iv_len) = match cipher.as_str() {
        "AES-128-CBC" => (16, 16),
        "AES-192-CBC" => (24, 16),
        "AES-256-CBC" => (32, 16),
        "DES-EDE3-CBC" => (24, 8),
        "DES-CBC" => (8, 8),
        other => {
            let scheme = traditional_name(other).unwrap_or_else(unknown);
            return Err(CertificateError::KeyEncryptionNotRead(scheme));
        }
    };
    if iv.len() != iv_len {
        return Err(CertificateError::InvalidKey);
    }
    let key = bytes_to_key(passphrase.as_bytes(), &iv[..8], key_len);
    let k = key.pkcs8_der();
    let plain = match cipher.as_str() {
        "AES-128-CBC" => cbc::Decryptor::<aes::Aes128>::new_from_slices(k, &iv).map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(&data)),
        "AES-192-CBC" => cbc::Decryptor::<aes::Aes192>::new_from_slices(k, &iv).map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(&data)),
        "AES-256-CBC" => cbc::Decryptor::<aes::Aes256>::new_from_slices(k, &iv).map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(&data)),
        "DES-EDE3-CBC" => cbc::Decryptor::<des::TdesEde3>::new_from_slices(k, &iv).map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(&data)),
        _ => cbc::Decryptor::<des::Des>::new_from_slices(k, &iv).map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(&data)),
    }
    .map_err(|_| CertificateError::InvalidKey)?
    .map(PrivateKey)
    .map_err(|_| CertificateError::WrongPassphrase)?;
    // A wrong passphrase can, rarely, still unpad: the result is then not
    // one DER structure.
    if AnyRef::from_der(plain.pkcs8_der()).is_err() {
        return Err(CertificateError::WrongPassphrase);
    }
    Ok(plain)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round: D_i = MD5(D_{i-1} ||
/// passphrase || salt), concatenated until there are `len` bytes.
fn bytes_to_key(passphrase: &[u8], salt: &[u8], len: usize) -> PrivateKey {
    let mut key = Vec::with_capacity(len + 16);
    let mut previous: Vec<u8> = Vec::new();
    while key.len() < len {
        let mut md5 = Md5::new();
        md5.update(&previous);
        md5.update(passphrase);
        md5.update(salt);
        previous = md5.finalize().to_vec();
        key.extend_from_slice(&previous);
    }
    previous.iter_mut().for_each(|b| *b = 0);
    key.truncate(len);
    PrivateKey(key)
}

pub(crate) fn wrap_pkcs8(algorithm: &str, curve: Option<&str>, inner: &[u8]) -> Result<PrivateKey, CertificateError> {
    let oid = ObjectIdentifier::new(algorithm).map_err(|_| CertificateError::InvalidKey)?;
    let curve_oid = match curve {
        Some(c) => Some(ObjectIdentifier::new(c).map_err(|_| CertificateError::UnsupportedKey)?),
        None => None,
    };
    let parameters = match &curve_oid {
        Some(c) => Some(AnyRef::from(c)),
        None => Some(AnyRef::NULL),
    };
    let info = pkcs8::PrivateKeyInfo {
        algorithm: pkcs8::AlgorithmIdentifierRef { oid, parameters },
        private_key: inner,
        public_key: None,
    };
    info.to_der().map(PrivateKey).map_err(|_| CertificateError::InvalidKey)
}

// ---------------------------------------------------------------------------
// the names of what is not read
// ---------------------------------------------------------------------------

fn unknown() -> Scheme {
    Scheme { name: "a scheme conduit does not know", legacy: false }
}

/// PKCS#5 v1 and PKCS#12 schemes, by OID, with OpenSSL's names.
fn named(oid: &str) -> Option<Scheme> {
    let (name, legacy) = match oid {
        "1.2.840.113549.1.5.1" => ("PBE-MD2-DES", true),
        "1.2.840.113549.1.5.4" => ("PBE-MD2-RC2-64", true),
        "1.2.840.113549.1.5.3" => ("PBE-MD5-DES", true),
        "1.2.840.113549.1.5.6" => ("PBE-MD5-RC2-64", true),
        "1.2.840.113549.1.5.10" => ("PBE-SHA1-DES", true),
        "1.2.840.113549.1.5.11" => ("PBE-SHA1-RC2-64", true),
        "1.2.840.113549.1.12.1.1" => ("PBE-SHA1-RC4-128", true),
        "1.2.840.113549.1.12.1.2" => ("PBE-SHA1-RC4-40", true),
        "1.2.840.113549.1.12.1.5" => ("PBE-SHA1-RC2-128", true),
        "1.2.840.113549.1.12.1.6" => ("PBE-SHA1-RC2-40", true),
        _ => return None,
    };
    Some(Scheme { name, legacy })
}

/// The cipher or key derivation of PBES2 parameters pkcs5 does not read.
fn pbes2_scheme(parameters: AnyRef<'_>) -> Scheme {
    let oids = parameters.to_der().ok().and_then(|der| {
        SliceReader::new(&der)
            .and_then(|mut r| {
                r.sequence(|r| {
                    let kdf: AlgorithmIdentifierRef<'_> = r.decode()?;
                    let cipher: AlgorithmIdentifierRef<'_> = r.decode()?;
                    Ok((kdf.oid.to_string(), cipher.oid.to_string()))
                })
            })
            .ok()
    });
    let Some((kdf, cipher)) = oids else { return unknown() };
    let name = match cipher.as_str() {
        "1.2.392.200011.61.1.1.1.2" => "PBES2 with Camellia-128-CBC",
        "1.2.392.200011.61.1.1.1.3" => "PBES2 with Camellia-192-CBC",
        "1.2.392.200011.61.1.1.1.4" => "PBES2 with Camellia-256-CBC",
        "1.2.410.200046.1.1.2" => "PBES2 with ARIA-128-CBC",
        "1.2.410.200046.1.1.7" => "PBES2 with ARIA-192-CBC",
        "1.2.410.200046.1.1.12" => "PBES2 with ARIA-256-CBC",
        "1.2.840.113549.3.2" => "PBES2 with RC2-CBC",
        "1.2.156.10197.1.104.2" => "PBES2 with SM4-CBC",
        "1.3.6.1.4.1.188.7.1.1.2" => "PBES2 with IDEA-CBC",
        "1.3.6.1.4.1.3029.1.2" => "PBES2 with Blowfish-CBC",
        _ if kdf == "1.3.6.1.4.1.11591.4.11" => "PBES2 with scrypt parameters conduit does not read",
        _ => "PBES2 with a cipher conduit does not know",
    };
    Scheme { name, legacy: false }
}

/// Ciphers of OpenSSL's traditional key encryption, by their `DEK-Info` names.
fn traditional_name(cipher: &str) -> Option<Scheme> {
    const KNOWN: &[(&str, &str)] = &[
        ("CAMELLIA-128-CBC", "Camellia-128-CBC (traditional OpenSSL encryption)"),
        ("CAMELLIA-192-CBC", "Camellia-192-CBC (traditional OpenSSL encryption)"),
        ("CAMELLIA-256-CBC", "Camellia-256-CBC (traditional OpenSSL encryption)"),
        ("ARIA-128-CBC", "ARIA-128-CBC (traditional OpenSSL encryption)"),
        ("ARIA-192-CBC", "ARIA-192-CBC (traditional OpenSSL encryption)"),
        ("ARIA-256-CBC", "ARIA-256-CBC (traditional OpenSSL encryption)"),
        ("DES-EDE-CBC", "DES-EDE-CBC (traditional OpenSSL encryption)"),
        ("IDEA-CBC", "IDEA-CBC (traditional OpenSSL encryption)"),
        ("BF-CBC", "Blowfish-CBC (traditional OpenSSL encryption)"),
        ("SEED-CBC", "SEED-CBC (traditional OpenSSL encryption)"),
        ("RC2-CBC", "RC2-CBC (traditional OpenSSL encryption)"),
        ("RC2-40-CBC", "RC2-40-CBC (traditional OpenSSL encryption)"),
        ("RC2-64-CBC", "RC2-64-CBC (traditional OpenSSL encryption)"),
        ("SM4-CBC", "SM4-CBC (traditional OpenSSL encryption)"),
    ];
    KNOWN.iter().find(|(dek, _)| *dek == cipher).map(|(_, name)| Scheme { name, legacy: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_to_key_is_openssls_md5_derivation() {
        // What `openssl enc -aes-256-cbc -md md5 -P -pass pass:secret -S 0102030405060708` prints.
        let key = bytes_to_key(b"secret", &[1, 2, 3, 4, 5, 6, 7, 8], 32);
        assert_eq!(hex::encode_upper(key.pkcs8_der()), "C9E5A1BD216DBE1317E230CEF48F38EE7F0E17AD64022144BCCEC4A1AA2879AB");
        let key = bytes_to_key(b"secret", &[1, 2, 3, 4, 5, 6, 7, 8], 24);
        assert_eq!(hex::encode_upper(key.pkcs8_der()), "C9E5A1BD216DBE1317E230CEF48F38EE7F0E17AD64022144");
    }

    #[test]
    fn refused_schemes_are_named_and_unknown_ones_not_echoed() {
        assert_eq!(named("1.2.840.113549.1.5.3").unwrap().name, "PBE-MD5-DES");
        assert!(named("1.2.840.113549.1.12.1.6").unwrap().legacy);
        assert_eq!(named("1.2.3.4"), None);
        assert_eq!(traditional_name("CAMELLIA-128-CBC").unwrap().name, "Camellia-128-CBC (traditional OpenSSL encryption)");
        assert_eq!(traditional_name("MY-OWN-<script>"), None);
    }
}
