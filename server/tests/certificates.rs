//! Reading and checking certificate uploads, with certificates, keys and
//! PKCS#12 archives generated here.

use conduit_server::certificates::{
    parse_ca, parse_identity, CertificateError, Field, Upload,
};
use conduit_types::Expiry;
use pkcs8::der::pem::LineEnding;
use pkcs8::der::Decode;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType, SignatureAlgorithm};
use sha2::{Digest, Sha256};

const DAY: i64 = 86_400;

/// A fixed RSA 2048 key for tests only (ring cannot generate RSA keys).
const RSA_TEST_KEY: &str = r"-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDAVF11juM0Bryx
asyimuUhPVjUY0FymOGoHhfBjDtDsQUtKf8vdMVL+trOlvarU4GBlg0iIU+TG4Vb
IEkJvFen8X5iDyqyFxC4o8avddxBsDWEKfokVKIdDg/wENCBEkKpFoBTUN+qD+Vo
sOt2C0iky4mlJS3+LuAmZJoZrTwsAyZRtJo2YQE0oE2sxqy47YLgV9r6fpAorsik
fqKP8VgiUkpqBdi3FxrlG425HnBwYicXHjGHtICFYf7Twvx/GhNXdpPRENzRoZN+
4QhLgF/jB5IwXmor1ag/RW+pp28aoaIBf6rooRWwGb499/NlA2Awa1Bec8Jk7Mwp
iy7kW7kXAgMBAAECggEAB2A05VlBerFMyJEL9VXItmmf38/z++0ZBQAtG7hrssDg
g0blCRuKpXX4BjbhPC4g/VM/1bCUA1Q+3QEeoUeeekusnnNuc738Ci4IZJo52YW5
x65vGrg+2gERY2eBrNwtFPGj944BGzMuMmxL22RmDiEwJNaJg6yl3qhlBdm666/H
jF73ahwJp+1fhST8KAAU3VsKUWQLSNisB4DZNf4PkTNSIdZhkrrr87a8Yjb0NGIf
3Mn/jLUsvSGPhP9ya6d9sLDT2AJxuoGPimYn6x++hXKPX+YCYXA7ui4JDSJmLQRg
oAHOa3c2sYnKat7QS/JB4OaZVjWSb1PykZyEtncIIQKBgQDhC9d5sFxkkIoS2Mvw
wEsJysyDXELPUmImVlzSkQtopdx7F3BbEMjwii9MqdztocLNFoQCnoEr7GyA/Y8z
+QqJyPVRTDTG94+qGRTTCDKV9FmUWR+VTW/0zNgedqob1sxzJLKXmOHDvXBkn7RI
VQQn1ODojqpNaAXGIrUHRnkCPQKBgQDayIcLxVxeTuXNYZOolgNaPrRBB6b5PjKa
9CMZCw8yyXD9G6oxnoOJbLYxNXxXam4HIjqszUkvJqUpgqYxmHjJxpv1s53X9kE8
hFFWIlYtW+VRYnHMpAE4KIDQ8bitGB0hYNTXSkjPfqGdDEexB1EQG6lp5vxR24W6
FiPfVYaB4wKBgQCmz6I+fy1dFY5i/fPdVovIjFwfmomjJ0u9YxKWuhCc1ySg0PTl
a4GmWqdIyjgKpHbCkkfzsQ3KQwsCafB188mN7Dl6s2QDf4kr6j93VYI5iM/FmHJC
tw2fhR9FJWxeCk+toawHlrjx4D+pNn/phar442B6wRUXH134Sc2pwOD9eQKBgBb7
IVRXMtClMPZV3ZDD0S5Vj9GU4DEmG2KzakxjIQGQr1Gm6kW0BNUWmjypBZqZD12o
dslX9uwA/zBRDOwAvA9V0WQJrfbVYxzcOT729F5nXLsjwBhi0c34Uy+fdGqaMdUj
ureykdtZzdgVRiKORjGO9kitfquKh414beQzs6FJAoGBAKOwuQ1x8KVwzqzSxy49
DPXloAqENnZgaG/XKZpJQ0Pocbk7ZBBPiGh9vbzeuX1We3yTHhAVrNv/CqdkhhzI
p9jsdzsF2Do5ahK7XrhO5fYdb+OCYML9eXd6XWUh5dNeZBplSPPAaCluUSYv9EYD
8siW2Wbo7Mxh1RKGJUcmGhS6
-----END PRIVATE KEY-----
";

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn at(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

struct Issued {
    cert_pem: String,
    cert_der: Vec<u8>,
    key: KeyPair,
}

fn issue_with(key: KeyPair, cn: &str, not_before: i64, not_after: i64) -> Issued {
    let mut params = CertificateParams::new(vec!["client.example.com".to_owned()]).unwrap();
    params.subject_alt_names.push(SanType::IpAddress("10.1.2.3".parse().unwrap()));
    params.distinguished_name.push(DnType::CommonName, cn);
    params.distinguished_name.push(DnType::OrganizationName, "Acme");
    params.not_before = at(not_before);
    params.not_after = at(not_after);
    let cert = params.self_signed(&key).unwrap();
    Issued { cert_pem: cert.pem(), cert_der: cert.der().to_vec(), key }
}

fn issue(alg: &'static SignatureAlgorithm) -> Issued {
    let now = now();
    issue_with(KeyPair::generate_for(alg).unwrap(), "client", now - DAY, now + 365 * DAY)
}

fn pem_upload(issued: &Issued, key_pem: String, passphrase: Option<&str>) -> Upload {
    Upload::Pem {
        certificate_pem: issued.cert_pem.clone(),
        private_key_pem: key_pem,
        passphrase: passphrase.map(str::to_owned),
    }
}

fn encrypt(key: &KeyPair, passphrase: &str) -> String {
    let der = key.serialize_der();
    let info = pkcs8::PrivateKeyInfo::from_der(&der).unwrap();
    // Few iterations: tests run unoptimised.
    let params = pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(1000, b"saltsalt", &[7u8; 16]).unwrap();
    let doc = info.encrypt_with_params(params, passphrase).unwrap();
    doc.to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF).unwrap().to_string()
}

fn pkcs12(issued: &Issued, passphrase: &str) -> Vec<u8> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKeyChain};
    let mut store = KeyStore::new();
    let chain = PrivateKeyChain::new(
        issued.key.serialize_der(),
        [1u8, 2, 3, 4],
        [Certificate::from_der(&issued.cert_der).unwrap()],
    );
    store.add_entry("client", KeyStoreEntry::PrivateKeyChain(chain));
    store.writer(passphrase).encryption_iterations(1000).mac_iterations(1000).write().unwrap()
}

fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn err(upload: &Upload) -> CertificateError {
    parse_identity(upload, now()).expect_err("the upload should be refused")
}

#[test]
fn matching_pem_pair_gives_its_details() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let parsed = parse_identity(&pem_upload(&issued, issued.key.serialize_pem(), None), now()).unwrap();
    let info = &parsed.info;
    assert!(info.subject.contains("CN=client"), "{}", info.subject);
    assert!(info.subject.contains("O=Acme"), "{}", info.subject);
    assert_eq!(info.issuer, info.subject);
    assert_eq!(info.subject_alt_names, vec!["client.example.com".to_owned(), "10.1.2.3".to_owned()]);
    assert_eq!(info.sha256_fingerprint, fingerprint(&issued.cert_der));
    assert_eq!(info.key_type, "ECDSA P-256");
    assert!(info.not_before < now() && info.not_after > now() + 300 * DAY);
    assert_eq!(info.expiry_warning(now()), None);
    assert_eq!(parsed.chain_der, vec![issued.cert_der.clone()]);
    assert_eq!(parsed.private_key.pkcs8_der(), issued.key.serialize_der().as_slice());
    assert!(!format!("{parsed:?}").contains(&format!("{:?}", &issued.key.serialize_der()[..16])));
}

#[test]
fn other_key_types() {
    let p384 = issue(&rcgen::PKCS_ECDSA_P384_SHA384);
    let info = parse_identity(&pem_upload(&p384, p384.key.serialize_pem(), None), now()).unwrap().info;
    assert_eq!(info.key_type, "ECDSA P-384");

    let ed = issue(&rcgen::PKCS_ED25519);
    let info = parse_identity(&pem_upload(&ed, ed.key.serialize_pem(), None), now()).unwrap().info;
    assert_eq!(info.key_type, "Ed25519");

    let now = now();
    let rsa = issue_with(KeyPair::from_pem(RSA_TEST_KEY).unwrap(), "rsa", now - DAY, now + DAY * 90);
    let info = parse_identity(&pem_upload(&rsa, RSA_TEST_KEY.to_owned(), None), now).unwrap().info;
    assert_eq!(info.key_type, "RSA 2048");
}

#[test]
fn traditional_key_formats_are_accepted() {
    // PKCS#1 "RSA PRIVATE KEY" and SEC1 "EC PRIVATE KEY", the inner keys of PKCS#8.
    let now = now();
    let rsa = issue_with(KeyPair::from_pem(RSA_TEST_KEY).unwrap(), "rsa", now - DAY, now + DAY * 90);
    let der = rsa.key.serialize_der();
    let pkcs1 = pkcs8::PrivateKeyInfo::from_der(&der).unwrap().private_key.to_vec();
    let pem = pkcs8::der::pem::encode_string("RSA PRIVATE KEY", LineEnding::CRLF, &pkcs1).unwrap();
    let parsed = parse_identity(&pem_upload(&rsa, pem, None), now).unwrap();
    assert_eq!(parsed.info.key_type, "RSA 2048");
    assert!(pkcs8::PrivateKeyInfo::from_der(parsed.private_key.pkcs8_der()).is_ok());

    let ec = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let der = ec.key.serialize_der();
    let sec1 = pkcs8::PrivateKeyInfo::from_der(&der).unwrap().private_key.to_vec();
    let pem = pkcs8::der::pem::encode_string("EC PRIVATE KEY", LineEnding::LF, &sec1).unwrap();
    parse_identity(&pem_upload(&ec, pem, None), now).unwrap();
}

#[test]
fn mismatching_key_is_refused() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let other = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let e = err(&pem_upload(&issued, other.serialize_pem(), None));
    assert_eq!(e, CertificateError::KeyMismatch);
    assert_eq!(e.field(), Field::PrivateKey);
    assert_eq!(e.to_string(), "The private key does not belong to the certificate.");

    // A key of another type altogether.
    let ed = KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
    assert_eq!(err(&pem_upload(&issued, ed.serialize_pem(), None)), CertificateError::KeyMismatch);
}

#[test]
fn encrypted_key_with_right_wrong_and_missing_passphrase() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let encrypted = encrypt(&issued.key, "correct horse");
    assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    let parsed = parse_identity(&pem_upload(&issued, encrypted.clone(), Some("correct horse")), now()).unwrap();
    assert_eq!(parsed.private_key.pkcs8_der(), issued.key.serialize_der().as_slice());

    let e = err(&pem_upload(&issued, encrypted.clone(), Some("battery staple")));
    assert_eq!(e, CertificateError::WrongPassphrase);
    assert_eq!(e.field(), Field::Passphrase);
    assert!(!e.to_string().contains("battery"));

    let e = err(&pem_upload(&issued, encrypted.clone(), None));
    assert_eq!(e, CertificateError::PassphraseRequired);
    assert_eq!(e.field(), Field::Passphrase);
    assert_eq!(err(&pem_upload(&issued, encrypted, Some(""))), CertificateError::PassphraseRequired);
}

#[test]
fn traditional_encryption_with_a_cipher_not_read_is_named_with_the_command() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let legacy = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: CAMELLIA-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END EC PRIVATE KEY-----\n";
    let e = err(&pem_upload(&issued, legacy.to_owned(), Some("x")));
    assert_eq!(e.field(), Field::PrivateKey);
    assert_eq!(
        e.to_string(),
        "The private key is encrypted with Camellia-128-CBC (traditional OpenSSL encryption), which conduit does not read. \
         Convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-pkcs8.pem`."
    );
    // A cipher conduit does not know is not echoed.
    let odd = legacy.replace("CAMELLIA-128-CBC", "X-<b>-CBC");
    let e = err(&pem_upload(&issued, odd, Some("x")));
    assert!(!e.to_string().contains("<b>"), "{e}");
    assert!(e.to_string().contains("a scheme conduit does not know"), "{e}");
}

#[test]
fn pkcs12_with_right_and_wrong_passphrase() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let der = pkcs12(&issued, "s3cret");

    let parsed = parse_identity(&Upload::Pkcs12 { der: der.clone(), passphrase: "s3cret".into() }, now()).unwrap();
    assert_eq!(parsed.chain_der, vec![issued.cert_der.clone()]);
    assert_eq!(parsed.private_key.pkcs8_der(), issued.key.serialize_der().as_slice());
    assert_eq!(parsed.info.sha256_fingerprint, fingerprint(&issued.cert_der));
    assert_eq!(parsed.info.key_type, "ECDSA P-256");

    let e = err(&Upload::Pkcs12 { der, passphrase: "wrong".into() });
    assert_eq!(e, CertificateError::WrongPkcs12Passphrase);
    assert_eq!(e.field(), Field::Passphrase);

    let debug = format!("{:?}", Upload::Pkcs12 { der: vec![], passphrase: "s3cret".into() });
    assert!(!debug.contains("s3cret"), "{debug}");
}

#[test]
fn expired_and_not_yet_valid_certificates() {
    let now = now();
    let key = || KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();

    let expired = issue_with(key(), "old", now - 400 * DAY, now - DAY);
    let e = err(&pem_upload(&expired, expired.key.serialize_pem(), None));
    assert!(matches!(e, CertificateError::Expired { field: Field::Certificate, .. }), "{e:?}");
    assert!(e.to_string().starts_with("The certificate expired on "), "{e}");

    let future = issue_with(key(), "future", now + DAY, now + 400 * DAY);
    let e = err(&pem_upload(&future, future.key.serialize_pem(), None));
    assert!(matches!(e, CertificateError::NotYetValid { field: Field::Certificate, .. }), "{e:?}");

    let soon = issue_with(key(), "soon", now - DAY, now + 10 * DAY);
    let info = parse_identity(&pem_upload(&soon, soon.key.serialize_pem(), None), now).unwrap().info;
    assert_eq!(info.expiry_warning(now), Some(Expiry::Soon { days: 10 }));
    assert!(info.expiry_warning(now).unwrap().is_urgent());
    let later = issue_with(key(), "later", now - DAY, now + 20 * DAY);
    let info = parse_identity(&pem_upload(&later, later.key.serialize_pem(), None), now).unwrap().info;
    assert_eq!(info.expiry_warning(now), Some(Expiry::Soon { days: 20 }));
    assert!(!info.expiry_warning(now).unwrap().is_urgent());

    // The same checks apply to a PKCS#12 archive.
    let e = err(&Upload::Pkcs12 { der: pkcs12(&expired, "pw"), passphrase: "pw".into() });
    assert!(matches!(e, CertificateError::Expired { field: Field::Certificate, .. }), "{e:?}");
}

#[test]
fn ca_certificate() {
    let now = now();
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "Acme Private CA");
    params.not_before = at(now - DAY);
    params.not_after = at(now + 3650 * DAY);
    let ca = params.clone().self_signed(&key).unwrap();

    let info = parse_ca(&ca.pem(), now).unwrap();
    assert_eq!(info.subject, "CN=Acme Private CA");
    assert_eq!(info.key_type, "ECDSA P-384");
    assert_eq!(info.sha256_fingerprint, fingerprint(ca.der()));
    assert!(info.subject_alt_names.is_empty());

    params.not_after = at(now - 1);
    params.not_before = at(now - 10 * DAY);
    let old = params.self_signed(&key).unwrap();
    let e = parse_ca(&old.pem(), now).unwrap_err();
    assert!(matches!(e, CertificateError::Expired { field: Field::CaCertificate, .. }), "{e:?}");
    assert!(e.to_string().starts_with("The CA certificate expired on"), "{e}");
}

#[test]
fn garbage_in_each_field() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let key_pem = issued.key.serialize_pem();

    // certificate
    let upload = Upload::Pem { certificate_pem: "hello".into(), private_key_pem: key_pem.clone(), passphrase: None };
    let e = err(&upload);
    assert_eq!(e, CertificateError::NotPemCertificate(Field::Certificate));
    assert_eq!(e.field().as_str(), "certificate");
    let bad_block = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
    let upload = Upload::Pem { certificate_pem: bad_block.into(), private_key_pem: key_pem.clone(), passphrase: None };
    assert_eq!(err(&upload), CertificateError::InvalidCertificate(Field::Certificate));
    // A key pasted into the certificate field.
    let upload = Upload::Pem { certificate_pem: key_pem.clone(), private_key_pem: key_pem.clone(), passphrase: None };
    assert_eq!(err(&upload), CertificateError::NotPemCertificate(Field::Certificate));

    // private key
    let e = err(&pem_upload(&issued, "not a key".into(), None));
    assert_eq!(e, CertificateError::NotPemKey);
    assert_eq!(e.field().as_str(), "private_key");
    let bad_key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
    assert_eq!(err(&pem_upload(&issued, bad_key.into(), None)), CertificateError::InvalidKey);
    let bad_encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nbm90IGEga2V5\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert_eq!(err(&pem_upload(&issued, bad_encrypted.into(), Some("pw"))), CertificateError::InvalidKey);
    // The certificate pasted into the key field.
    assert_eq!(err(&pem_upload(&issued, issued.cert_pem.clone(), None)), CertificateError::NotPemKey);

    // pkcs12
    let e = err(&Upload::Pkcs12 { der: b"garbage".to_vec(), passphrase: "pw".into() });
    assert_eq!(e, CertificateError::InvalidPkcs12);
    assert_eq!(e.field().as_str(), "pkcs12");
    let e = err(&Upload::Pkcs12 { der: issued.cert_der.clone(), passphrase: "pw".into() });
    assert_eq!(e, CertificateError::DerCertificate);
    assert!(e.to_string().starts_with("This is a DER-encoded certificate"), "{e}");
    assert!(e.to_string().contains("openssl x509 -inform DER"), "{e}");

    // ca_certificate
    let e = parse_ca("garbage", now()).unwrap_err();
    assert_eq!(e, CertificateError::NotPemCertificate(Field::CaCertificate));
    assert_eq!(e.field().as_str(), "ca_certificate");
    assert_eq!(e.to_string(), "The CA certificate is not a PEM certificate (a block starting with -----BEGIN CERTIFICATE-----).");
    assert_eq!(parse_ca(bad_block, now()).unwrap_err(), CertificateError::InvalidCertificate(Field::CaCertificate));
}

#[test]
fn messages_never_carry_secrets() {
    let issued = issue(&rcgen::PKCS_ECDSA_P256_SHA256);
    let encrypted = encrypt(&issued.key, "topsecret-passphrase");
    let e = err(&pem_upload(&issued, encrypted, Some("wrong-passphrase-xyz")));
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains("passphrase-xyz") && !text.contains("topsecret"), "{text}");
        assert!(!text.contains("BEGIN"), "{text}");
    }
}
