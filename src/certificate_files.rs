//! Where a chosen or dropped file goes in the certificate upload form: a
//! PKCS#12 archive to its file, a DER certificate as PEM, a certificate
//! authority's in the CA field, a certificate kept with its key split in two.

use conduit_types::draft::{FIELD_CERTIFICATE, FIELD_CERT_CA, FIELD_CERT_PKCS12, FIELD_CERT_PRIVATE_KEY};

use crate::editor::Editor;
use crate::upload::{self, CertificateForm, DroppedFile, UploadField, UploadFormat};

/// A file's place in the form: the error key of the field it fills, and
/// what it puts there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedFile {
    pub field: &'static str,
    change: Change,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    Pkcs12 { base64: String, name: String },
    Ca(String),
    Pem { part: UploadField, pem: String },
}

/// Where the file called `name` holding `bytes` goes.
pub fn place(name: &str, bytes: &[u8]) -> PlacedFile {
    let text = || String::from_utf8_lossy(bytes).into_owned();
    let (field, change) = match upload::classify(name, bytes) {
        DroppedFile::Pkcs12 => (
            FIELD_CERT_PKCS12,
            Change::Pkcs12 {
                base64: upload::base64(bytes),
                name: name.to_string(),
            },
        ),
        DroppedFile::CaCertificate => (FIELD_CERT_CA, Change::Ca(text())),
        DroppedFile::DerCertificate { pem, ca: true } => (FIELD_CERT_CA, Change::Ca(pem)),
        DroppedFile::DerCertificate { pem, ca: false } => {
            (FIELD_CERTIFICATE, Change::Pem { part: UploadField::Certificate, pem })
        }
        DroppedFile::PrivateKey => (
            FIELD_CERT_PRIVATE_KEY,
            Change::Pem { part: UploadField::PrivateKey, pem: text() },
        ),
        DroppedFile::Certificate => (
            FIELD_CERTIFICATE,
            Change::Pem { part: UploadField::Certificate, pem: text() },
        ),
    };
    PlacedFile { field, change }
}

impl PlacedFile {
    /// Fills the form: a PKCS#12 file or PEM text switches the form to its
    /// format; a CA leaves the format as it is.
    pub fn apply(self, form: &mut CertificateForm) {
        match self.change {
            Change::Pkcs12 { base64, name } => {
                form.format = UploadFormat::Pkcs12;
                form.pkcs12_base64 = base64;
                form.pkcs12_name = name;
            }
            Change::Ca(pem) => form.ca_pem = pem,
            Change::Pem { part, pem } => {
                form.format = UploadFormat::Pem;
                match upload::split_combined_pem(&pem) {
                    Some((certificates, key)) => {
                        form.certificate_pem = certificates;
                        form.private_key_pem = key;
                    }
                    None => form.set(part, pem),
                }
            }
        }
    }

    /// Fills the editor's upload form, as an edit of [`PlacedFile::field`].
    pub fn put(self, editor: &mut Editor) {
        let field = self.field;
        editor.edit_certificate_form(field, |form| self.apply(form));
    }
}

#[cfg(test)]
mod tests;
