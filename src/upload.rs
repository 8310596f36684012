//! The `certificates` tab's upload form: what the user has pasted or
//! chosen so far, before the server has read it. Plain Rust; the editor
//! keeps one, so switching tabs keeps it too.

use conduit_types::draft::{
    CertificateUpload, IdentityUpload, FIELD_CERTIFICATE, FIELD_CERT_PKCS12, FIELD_CERT_PRIVATE_KEY,
};
use conduit_types::FieldError;

/// The two ways a client certificate and its key arrive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UploadFormat {
    /// A PEM certificate and a PEM private key (perhaps encrypted).
    #[default]
    Pem,
    /// One PKCS#12 (.p12, .pfx) file holding both.
    Pkcs12,
}

impl UploadFormat {
    pub const ALL: [UploadFormat; 2] = [UploadFormat::Pem, UploadFormat::Pkcs12];

    pub fn label(self) -> &'static str {
        match self {
            UploadFormat::Pem => "PEM certificate and private key",
            UploadFormat::Pkcs12 => "PKCS#12 bundle (.p12, .pfx)",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            UploadFormat::Pem => "pem",
            UploadFormat::Pkcs12 => "pkcs12",
        }
    }
}

/// One text field of the form, named by its error key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadField {
    Certificate,
    PrivateKey,
    Passphrase,
    Ca,
}

/// What the form holds. The PKCS#12 file is kept base64-encoded, as it
/// travels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateForm {
    pub format: UploadFormat,
    pub certificate_pem: String,
    pub private_key_pem: String,
    pub passphrase: String,
    pub pkcs12_base64: String,
    /// The chosen PKCS#12 file's name, to show which one was chosen.
    pub pkcs12_name: String,
    pub ca_pem: String,
}

pub const CERTIFICATE_MISSING: &str =
    "Paste the certificate, or choose or drop its file (a block starting with -----BEGIN CERTIFICATE-----).";
pub const KEY_MISSING: &str = "Paste the private key, or choose or drop its file.";
pub const PKCS12_MISSING: &str = "Choose or drop the PKCS#12 (.p12 or .pfx) file.";

impl CertificateForm {
    /// Whether nothing has been entered.
    pub fn is_empty(&self) -> bool {
        *self
            == CertificateForm {
                format: self.format,
                ..CertificateForm::default()
            }
    }

    pub fn set(&mut self, field: UploadField, value: String) {
        *match field {
            UploadField::Certificate => &mut self.certificate_pem,
            UploadField::PrivateKey => &mut self.private_key_pem,
            UploadField::Passphrase => &mut self.passphrase,
            UploadField::Ca => &mut self.ca_pem,
        } = value;
    }

    pub fn get(&self, field: UploadField) -> &str {
        match field {
            UploadField::Certificate => &self.certificate_pem,
            UploadField::PrivateKey => &self.private_key_pem,
            UploadField::Passphrase => &self.passphrase,
            UploadField::Ca => &self.ca_pem,
        }
    }

    /// What is missing before the server can read the upload, at its field.
    pub fn missing(&self) -> Vec<FieldError> {
        let mut missing = Vec::new();
        let mut need = |empty: bool, field: &str, message: &str| {
            if empty {
                missing.push(FieldError {
                    field: field.to_owned(),
                    message: message.to_owned(),
                });
            }
        };
        match self.format {
            UploadFormat::Pem => {
                need(self.certificate_pem.trim().is_empty(), FIELD_CERTIFICATE, CERTIFICATE_MISSING);
                need(self.private_key_pem.trim().is_empty(), FIELD_CERT_PRIVATE_KEY, KEY_MISSING);
            }
            UploadFormat::Pkcs12 => need(self.pkcs12_base64.is_empty(), FIELD_CERT_PKCS12, PKCS12_MISSING),
        }
        missing
    }

    /// The upload as it is sent (only the chosen format's parts).
    pub fn upload(&self) -> CertificateUpload {
        let identity = match self.format {
            UploadFormat::Pem => IdentityUpload::Pem {
                certificate_pem: self.certificate_pem.clone(),
                private_key_pem: self.private_key_pem.clone(),
                passphrase: self.passphrase.clone(),
            },
            UploadFormat::Pkcs12 => IdentityUpload::Pkcs12 {
                pkcs12_base64: self.pkcs12_base64.clone(),
                passphrase: self.passphrase.clone(),
            },
        };
        let ca = self.ca_pem.trim();
        CertificateUpload {
            identity,
            ca_certificate_pem: (!ca.is_empty()).then(|| ca.to_owned()),
        }
    }
}

/// What a dropped or chosen file is, judged by its name and first bytes,
/// so one drop zone can take any of the parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DroppedFile {
    /// PEM text holding a certificate (and perhaps its key too).
    Certificate,
    PrivateKey,
    Pkcs12,
}

pub fn classify(name: &str, bytes: &[u8]) -> DroppedFile {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".p12") || lower.ends_with(".pfx") {
        return DroppedFile::Pkcs12;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return DroppedFile::Pkcs12;
    };
    if text.contains("-----BEGIN CERTIFICATE-----") {
        DroppedFile::Certificate
    } else if text.contains("PRIVATE KEY-----") {
        DroppedFile::PrivateKey
    } else if text.trim_start().starts_with("-----BEGIN") {
        DroppedFile::Certificate
    } else {
        DroppedFile::Pkcs12
    }
}

/// Splits PEM text that holds both certificate(s) and a private key (a
/// common way to keep them) into the two parts; `None` when it holds only
/// one kind.
pub fn split_combined_pem(text: &str) -> Option<(String, String)> {
    let mut certificates = String::new();
    let mut key = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = &rest[start..];
        let label_end = block[11..].find("-----")? + 11;
        let label = &block[11..label_end];
        let end_marker = format!("-----END {label}-----");
        let end = block.find(&end_marker)? + end_marker.len();
        let target = if label.ends_with("PRIVATE KEY") {
            &mut key
        } else {
            &mut certificates
        };
        target.push_str(&block[..end]);
        target.push('\n');
        rest = &block[end..];
    }
    (!certificates.is_empty() && !key.is_empty()).then_some((certificates, key))
}

/// Standard base64 (with padding) of `bytes`, as PKCS#12 files travel.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
        assert!(matches!(upload.identity, IdentityUpload::Pem { ref passphrase, .. } if passphrase == "pass"));
        assert_eq!(upload.ca_certificate_pem, None);

        form.format = UploadFormat::Pkcs12;
        form.ca_pem = CERT.into();
        let upload = form.upload();
        assert!(matches!(upload.identity, IdentityUpload::Pkcs12 { ref pkcs12_base64, .. } if pkcs12_base64 == "AAAA"));
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
    fn combined_pem_splits_into_certificates_and_key() {
        let combined = format!("{CERT}{KEY}{CERT}");
        let (certs, key) = split_combined_pem(&combined).unwrap();
        assert_eq!(certs.matches("BEGIN CERTIFICATE").count(), 2);
        assert!(key.contains("BEGIN PRIVATE KEY") && !key.contains("CERTIFICATE"));
        assert_eq!(split_combined_pem(CERT), None);
        assert_eq!(split_combined_pem(KEY), None);
    }
}
