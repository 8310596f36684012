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

    /// Whether the chosen format's client certificate parts are all empty.
    fn identity_is_empty(&self) -> bool {
        match self.format {
            UploadFormat::Pem => self.certificate_pem.trim().is_empty() && self.private_key_pem.trim().is_empty(),
            UploadFormat::Pkcs12 => self.pkcs12_base64.is_empty(),
        }
    }

    /// Whether the upload is a CA certificate alone, to trust a server
    /// behind a private CA without presenting a client certificate.
    pub fn is_ca_only(&self) -> bool {
        self.identity_is_empty() && !self.ca_pem.trim().is_empty()
    }

    /// What is missing before the server can read the upload, at its field.
    /// A CA certificate may come alone.
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
        if self.is_ca_only() {
            return missing;
        }
        match self.format {
            UploadFormat::Pem => {
                need(self.certificate_pem.trim().is_empty(), FIELD_CERTIFICATE, CERTIFICATE_MISSING);
                need(self.private_key_pem.trim().is_empty(), FIELD_CERT_PRIVATE_KEY, KEY_MISSING);
            }
            UploadFormat::Pkcs12 => need(self.pkcs12_base64.is_empty(), FIELD_CERT_PKCS12, PKCS12_MISSING),
        }
        missing
    }

    /// The upload as it is sent (only the chosen format's parts; no
    /// identity for a CA alone).
    pub fn upload(&self) -> CertificateUpload {
        let identity = match self.format {
            _ if self.is_ca_only() => None,
            UploadFormat::Pem => Some(IdentityUpload::Pem {
                certificate_pem: self.certificate_pem.clone(),
                private_key_pem: self.private_key_pem.clone(),
                passphrase: self.passphrase.clone(),
            }),
            UploadFormat::Pkcs12 => Some(IdentityUpload::Pkcs12 {
                pkcs12_base64: self.pkcs12_base64.clone(),
                passphrase: self.passphrase.clone(),
            }),
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DroppedFile {
    /// PEM text holding a certificate (and perhaps its key too).
    Certificate,
    /// PEM text holding only a certificate authority's certificate(s).
    CaCertificate,
    /// A DER-encoded (binary) certificate, as PEM text; `ca` when it is a
    /// certificate authority's.
    DerCertificate { pem: String, ca: bool },
    PrivateKey,
    Pkcs12,
}

pub fn classify(name: &str, bytes: &[u8]) -> DroppedFile {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".p12") || lower.ends_with(".pfx") {
        return DroppedFile::Pkcs12;
    }
    if der::is_certificate(bytes) {
        return DroppedFile::DerCertificate { pem: der::pem("CERTIFICATE", bytes), ca: der::is_ca(bytes) };
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return DroppedFile::Pkcs12;
    };
    if text.contains("-----BEGIN CERTIFICATE-----") {
        let has_key = text.contains("PRIVATE KEY-----");
        let first = der::first_pem_certificate(text);
        if !has_key && first.is_some_and(|der| der::is_ca(&der)) {
            DroppedFile::CaCertificate
        } else {
            DroppedFile::Certificate
        }
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

/// Just enough DER to tell a certificate from a PKCS#12 archive and a CA's
/// certificate from a client's, so a dropped file lands in its field. The
/// server reads every certificate properly.
mod der {
    /// One TLV at the start of `bytes`: (tag, header length, content length).
    fn tlv(bytes: &[u8]) -> Option<(u8, usize, usize)> {
        let tag = *bytes.first()?;
        let first = *bytes.get(1)? as usize;
        if first < 0x80 {
            return Some((tag, 2, first));
        }
        let count = first & 0x7f;
        if count == 0 || count > 4 {
            return None;
        }
        let len = bytes.get(2..2 + count)?.iter().fold(0usize, |n, b| n << 8 | *b as usize);
        Some((tag, 2 + count, len))
    }

    /// A certificate is a SEQUENCE filling the file whose first element is
    /// a SEQUENCE (the signed part); a PKCS#12 archive's is an INTEGER.
    pub fn is_certificate(bytes: &[u8]) -> bool {
        let Some((0x30, header, len)) = tlv(bytes) else { return false };
        header + len == bytes.len() && matches!(tlv(&bytes[header..]), Some((0x30, _, _)))
    }

    /// Whether the certificate is a certificate authority's: its basic
    /// constraints say `cA TRUE` and its key usage allows signing
    /// certificates. (`openssl req -x509` marks even a client's
    /// self-signed certificate `CA:TRUE`, but without key usage.)
    pub fn is_ca(bytes: &[u8]) -> bool {
        let basic = extension(bytes, 0x13, |value| matches!(value, [0x30, _, 0x01, 0x01, ca, ..] if *ca != 0));
        let key_cert_sign = extension(bytes, 0x0f, |value| matches!(value, [0x03, _, _, first, ..] if first & 0x04 != 0));
        basic && key_cert_sign
    }

    /// Whether some extension 2.5.29.`id` (perhaps `critical`) has a value
    /// (the OCTET STRING's content) that passes `test`.
    fn extension(bytes: &[u8], id: u8, test: impl Fn(&[u8]) -> bool) -> bool {
        let oid = [0x06, 0x03, 0x55, 0x1d, id];
        bytes.windows(oid.len()).enumerate().filter(|(_, w)| *w == oid).any(|(at, _)| {
            let mut rest = &bytes[at + oid.len()..];
            if rest.starts_with(&[0x01, 0x01]) {
                rest = rest.get(3..).unwrap_or_default();
            }
            matches!(rest, [0x04, _, value @ ..] if test(value))
        })
    }

    /// The DER of the first certificate in PEM text.
    pub fn first_pem_certificate(text: &str) -> Option<Vec<u8>> {
        let start = text.find("-----BEGIN CERTIFICATE-----")? + "-----BEGIN CERTIFICATE-----".len();
        let end = start + text[start..].find("-----END CERTIFICATE-----")?;
        decode_base64(&text[start..end])
    }

    pub fn pem(label: &str, der: &[u8]) -> String {
        let body = super::base64(der);
        let mut pem = format!("-----BEGIN {label}-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(line).unwrap_or_default());
            pem.push('\n');
        }
        pem.push_str(&format!("-----END {label}-----\n"));
        pem
    }

    fn decode_base64(text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let (mut bits, mut count) = (0u32, 0);
        for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
            let value = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return None,
            };
            bits = bits << 6 | u32::from(value);
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
            }
        }
        Some(out)
    }
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
mod tests;
