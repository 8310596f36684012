//! Tests of the certificate upload form: base64, what each format needs, dropped files.

use super::*;

const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

#[test]
fn base64_matches_the_standard_alphabet_and_padding() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
}

#[test]
fn pem_needs_a_certificate_and_a_key_and_pkcs12_a_file() {
    let mut form = CertificateForm::default();
    assert!(form.is_empty());
    let fields: Vec<String> = form.missing().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![FIELD_CERTIFICATE, FIELD_CERT_PRIVATE_KEY]);

    form.set(UploadField::Certificate, CERT.into());
    form.set(UploadField::PrivateKey, KEY.into());
    assert!(form.missing().is_empty());
    assert!(!form.is_empty());

    form.format = UploadFormat::Pkcs12;
    let fields: Vec<String> = form.missing().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![FIELD_CERT_PKCS12]);
}

#[test]
fn the_upload_holds_only_the_chosen_format_and_a_ca_when_given() {
    let mut form = CertificateForm {
        certificate_pem: CERT.into(),
        private_key_pem: KEY.into(),
        passphrase: "pass".into(),
        pkcs12_base64: "AAAA".into(),
        ca_pem: "  \n".into(),
        ..CertificateForm::default()
    };
    let upload = form.upload();
    assert!(matches!(upload.identity, Some(IdentityUpload::Pem { ref passphrase, .. }) if passphrase == "pass"));
    assert_eq!(upload.ca_certificate_pem, None);

    form.format = UploadFormat::Pkcs12;
    form.ca_pem = CERT.into();
    let upload = form.upload();
    assert!(matches!(upload.identity, Some(IdentityUpload::Pkcs12 { ref pkcs12_base64, .. }) if pkcs12_base64 == "AAAA"));
    assert_eq!(upload.ca_certificate_pem.as_deref(), Some(CERT.trim()));
}

#[test]
fn dropped_files_are_recognised_by_name_and_content() {
    assert_eq!(classify("client.p12", b"-----BEGIN"), DroppedFile::Pkcs12);
    assert_eq!(classify("id.PFX", &[0x30, 0x82]), DroppedFile::Pkcs12);
    assert_eq!(classify("client.pem", CERT.as_bytes()), DroppedFile::Certificate);
    assert_eq!(classify("client.key", KEY.as_bytes()), DroppedFile::PrivateKey);
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----";
    assert_eq!(classify("k.pem", encrypted.as_bytes()), DroppedFile::PrivateKey);
    assert_eq!(classify("bundle", &[0x30, 0x82, 0xff]), DroppedFile::Pkcs12);
}

#[test]
fn a_ca_alone_is_an_upload_without_a_client_certificate() {
    let mut form = CertificateForm {
        ca_pem: CERT.into(),
        ..CertificateForm::default()
    };
    assert!(form.is_ca_only());
    assert!(form.missing().is_empty());
    let upload = form.upload();
    assert!(upload.identity.is_none());
    assert_eq!(upload.ca_certificate_pem.as_deref(), Some(CERT.trim()));

    // A half-filled client certificate is not left out: its missing part is said.
    form.set(UploadField::Certificate, CERT.into());
    assert!(!form.is_ca_only());
    let fields: Vec<String> = form.missing().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![FIELD_CERT_PRIVATE_KEY]);
    form.format = UploadFormat::Pkcs12;
    assert!(form.is_ca_only(), "the PEM fields do not count for PKCS#12");
}

// Made by `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes`,
// the CA with `-addext basicConstraints=critical,CA:TRUE -addext
// keyUsage=critical,keyCertSign,cRLSign`, the other with openssl's
// defaults (which say CA:TRUE too, but no key usage).
const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBjDCCATOgAwIBAgIUAK/7wSa0OUzk0mcVbcE9yIrg0QkwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJVGVzdCBSb290MB4XDTI2MTIwMTIwMjc1NloXDTI3MTIwMTIw
Mjc1NlowFDESMBAGA1UEAwwJVGVzdCBSb290MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEb5f0TdCeZmL896uUDLPf8Ap4xZLYZse1SzP6Z2ejOSkOGkz6hbc9nCp0
zEihgW5PQYCrSzfJ5oyjH9SKtKOPYaNjMGEwHQYDVR0OBBYEFL+wnyD8x6gzFIgK
kVs7pa/9B+itMB8GA1UdIwQYMBaAFL+wnyD8x6gzFIgKkVs7pa/9B+itMA8GA1Ud
EwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0cAMEQCIFU5
m6eS2pvvzqk7CZEsY834d0AWd3cHev1xBfryfqvHAiBiV9VTx20yDEb7JJvzKRoY
kVUzGozNVAoEDFeXavyJDQ==
-----END CERTIFICATE-----
";
const SELF_SIGNED_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBcjCCARmgAwIBAgIUV1HoY97tR5b+hq+jCxxeawwbRUwwCgYIKoZIzj0EAwIw
DzENMAsGA1UEAwwEbGVhZjAeFw0yNjEyMDEyMDI4MDFaFw0yNjEyMzEyMDI4MDFa
MA8xDTALBgNVBAMMBGxlYWYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQikooF
WMYe5Fb+e3IMXEbRSzAn0OfUI9roYQQMxYVnedHuHu2r0lQmzSoy9Gvn4zDyYIz9
AhU4ygkSsOKStS2Lo1MwUTAdBgNVHQ4EFgQUuD1MLShkpSUKlLNWyRCJMVMhi6Aw
HwYDVR0jBBgwFoAUuD1MLShkpSUKlLNWyRCJMVMhi6AwDwYDVR0TAQH/BAUwAwEB
/zAKBggqhkjOPQQDAgNHADBEAiA/WvYYZPiWGlhdFxboIvL6WeF9DNg//aY+uqN+
yi+p+AIgIErX7GPsGUM+cMoywuthrQIWDxBRnLBP2Y4/UTdV5zY=
-----END CERTIFICATE-----
";

#[test]
fn dropped_ca_certificates_and_der_files_land_in_their_field() {
    let ca = der::first_pem_certificate(CA_PEM).unwrap();
    assert!(der::is_ca(&ca));
    assert_eq!(classify("ca.pem", CA_PEM.as_bytes()), DroppedFile::CaCertificate);
    assert_eq!(classify("client.pem", SELF_SIGNED_PEM.as_bytes()), DroppedFile::Certificate);
    let DroppedFile::DerCertificate { pem, ca: true } = classify("ca.der", &ca) else {
        panic!("the CA's DER is not recognised");
    };
    assert_eq!(pem.trim(), CA_PEM.trim());
    // With a key it is a client's bundle, whatever the certificate.
    let bundle = format!("{CA_PEM}{KEY}");
    assert_eq!(classify("bundle.pem", bundle.as_bytes()), DroppedFile::Certificate);
    // basicConstraints cA FALSE, or none: a client's certificate.
    let signs = [0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff, 0x04, 0x04, 0x03, 0x02, 0x01, 0x06];
    let constraints = |ca: u8| [0x06, 0x03, 0x55, 0x1d, 0x13, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, ca];
    assert!(der::is_ca(&[constraints(0xff).as_slice(), &signs].concat()));
    assert!(!der::is_ca(&[constraints(0x00).as_slice(), &signs].concat()));
    assert!(!der::is_ca(&constraints(0xff)), "no key usage");
    assert!(!der::is_ca(&[0x06, 0x03, 0x55, 0x1d, 0x13, 0x04, 0x02, 0x30, 0x00]));

    // A DER certificate (a SEQUENCE starting with a SEQUENCE) becomes PEM;
    // a PKCS#12 archive (a SEQUENCE starting with an INTEGER) does not.
    let der_certificate = [0x30, 0x06, 0x30, 0x02, 0x05, 0x00, 0x05, 0x00];
    let DroppedFile::DerCertificate { pem, ca } = classify("client.cer", &der_certificate) else {
        panic!("not recognised as a DER certificate");
    };
    assert!(!ca);
    assert_eq!(pem, "-----BEGIN CERTIFICATE-----\nMAYwAgUABQA=\n-----END CERTIFICATE-----\n");
    assert_eq!(der::first_pem_certificate(&pem).unwrap(), der_certificate);
    assert_eq!(classify("bundle", &[0x30, 0x03, 0x02, 0x01, 0x03]), DroppedFile::Pkcs12);
    assert_eq!(classify("short", &[0x30, 0x82, 0xff]), DroppedFile::Pkcs12);
}

#[test]
fn combined_pem_splits_into_certificates_and_key() {
    let combined = format!("{CERT}{KEY}{CERT}");
    let (certs, key) = split_combined_pem(&combined).unwrap();
    assert_eq!(certs.matches("BEGIN CERTIFICATE").count(), 2);
    assert!(key.contains("BEGIN PRIVATE KEY") && !key.contains("CERTIFICATE"));
    assert_eq!(split_combined_pem(CERT), None);
    assert_eq!(split_combined_pem(KEY), None);
}
