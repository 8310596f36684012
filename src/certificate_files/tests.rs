//! Tests of where a chosen or dropped file goes in the upload form.

use super::*;

const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

fn placed(name: &str, bytes: &[u8], form: &mut CertificateForm) -> &'static str {
    let placed = place(name, bytes);
    let field = placed.field;
    placed.apply(form);
    field
}

#[test]
fn a_pkcs12_file_is_kept_whole_with_its_name_and_switches_the_format() {
    let mut form = CertificateForm::default();
    assert_eq!(placed("Client.PFX", b"foo", &mut form), FIELD_CERT_PKCS12);
    assert_eq!(form.format, UploadFormat::Pkcs12);
    assert_eq!(form.pkcs12_base64, "Zm9v");
    assert_eq!(form.pkcs12_name, "Client.PFX");
    assert_eq!(form.certificate_pem, "");
}

#[test]
fn a_certificate_and_a_key_go_to_their_own_fields_in_pem_format() {
    let mut form = CertificateForm {
        format: UploadFormat::Pkcs12,
        ..CertificateForm::default()
    };
    assert_eq!(placed("client.crt", CERT.as_bytes(), &mut form), FIELD_CERTIFICATE);
    assert_eq!(form.format, UploadFormat::Pem);
    assert_eq!(form.certificate_pem, CERT);
    assert_eq!(form.private_key_pem, "");

    assert_eq!(placed("client.key", KEY.as_bytes(), &mut form), FIELD_CERT_PRIVATE_KEY);
    assert_eq!(form.private_key_pem, KEY);
    assert_eq!(form.certificate_pem, CERT, "the certificate stays");
}

#[test]
fn a_file_holding_certificate_and_key_fills_both() {
    let mut form = CertificateForm::default();
    let both = format!("{CERT}{KEY}");
    assert_eq!(placed("both.pem", both.as_bytes(), &mut form), FIELD_CERTIFICATE);
    assert_eq!(form.certificate_pem, CERT);
    assert_eq!(form.private_key_pem, KEY);
}

#[test]
fn a_ca_fills_only_the_ca_field_and_keeps_the_format() {
    let mut form = CertificateForm {
        format: UploadFormat::Pkcs12,
        ..CertificateForm::default()
    };
    PlacedFile {
        field: FIELD_CERT_CA,
        change: Change::Ca(CERT.into()),
    }
    .apply(&mut form);
    assert_eq!(form.ca_pem, CERT);
    assert_eq!(form.format, UploadFormat::Pkcs12);
    assert_eq!(form.certificate_pem, "");
}
