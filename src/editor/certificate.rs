//! Certificates: removing the stored ones, the upload form, and the
//! server's reading of an upload before the draft takes it.

use conduit_types::draft::{CertificateDraft, CertificateUpload, Section, FIELD_CERTIFICATE, FIELD_CERT_CA};
use conduit_types::{CertificateState, FieldError, StoredCertificates};

use super::places::section_of;
use super::state::Editor;
use crate::api::ApiError;
use crate::upload::CertificateForm;

impl Editor {
    /// Remove the stored client certificate when saving, or not.
    pub fn set_certificate_removal(&mut self, remove: bool) {
        self.set_removal(remove.then_some(CertificateDraft::Remove), FIELD_CERTIFICATE);
    }

    pub fn removes_certificate(&self) -> bool {
        self.draft.certificate == CertificateDraft::Remove
            && self.saved.certificate != CertificateState::None
    }

    /// Remove only the stored trusted CA when saving (a client certificate
    /// stays), or not.
    pub fn set_ca_removal(&mut self, remove: bool) {
        self.set_removal(remove.then_some(CertificateDraft::RemoveCa), FIELD_CERT_CA);
    }

    /// The draft removes what `removal` says when saving, or keeps the
    /// stored certificates; `field` is the control that said so.
    fn set_removal(&mut self, removal: Option<CertificateDraft>, field: &str) {
        self.draft.certificate = removal.unwrap_or(CertificateDraft::Keep);
        self.certificate_preview = None;
        self.edited(field);
    }

    /// Whether saving removes the stored trusted CA (alone or with the rest).
    pub fn removes_ca(&self) -> bool {
        let stored_ca = self.saved.certificate.stored().is_some_and(|s| s.ca.is_some());
        stored_ca && matches!(self.draft.certificate, CertificateDraft::Remove | CertificateDraft::RemoveCa)
    }

    /// The upload form, as the user left it.
    pub fn certificate_form(&self) -> &CertificateForm {
        &self.certificate_form
    }

    /// Edits the upload form; `field` is the error key of what changed.
    pub fn edit_certificate_form(&mut self, field: &str, edit: impl FnOnce(&mut CertificateForm)) {
        edit(&mut self.certificate_form);
        self.edited(field);
    }

    /// What the server read from the draft's new certificate, if it has one.
    pub fn certificate_preview(&self) -> Option<&StoredCertificates> {
        match self.draft.certificate {
            CertificateDraft::Upload(_) => self.certificate_preview.as_ref(),
            _ => None,
        }
    }

    pub fn reading_certificate(&self) -> bool {
        self.reading_certificate
    }

    /// `read certificate`: the upload to send for the server to read, or
    /// `None` (busy, or parts missing, which now show at their fields).
    pub fn begin_read_certificate(&mut self) -> Option<CertificateUpload> {
        if self.reading_certificate {
            return None;
        }
        let missing = self.certificate_form.missing();
        if !missing.is_empty() {
            self.clear_certificate_errors();
            self.server_errors.extend(missing);
            return None;
        }
        self.reading_certificate = true;
        Some(self.certificate_form.upload())
    }

    /// The server's reading of `upload`: on success the draft takes it (to
    /// be tested, then saved) and the form empties; otherwise each problem
    /// shows at its field.
    pub fn finish_read_certificate(&mut self, upload: CertificateUpload, answer: Result<StoredCertificates, ApiError>) {
        if !self.reading_certificate {
            return;
        }
        self.reading_certificate = false;
        match answer {
            Ok(info) => {
                self.clear_certificate_errors();
                self.draft.certificate = CertificateDraft::Upload(upload);
                self.certificate_preview = Some(info);
                self.certificate_form = Default::default();
                self.edited(FIELD_CERTIFICATE);
            }
            Err(error) => {
                let fields = match &error {
                    ApiError::Server { body, .. } if !body.fields.is_empty() => body.fields.clone(),
                    _ => vec![FieldError {
                        field: FIELD_CERTIFICATE.to_owned(),
                        message: error.to_string(),
                    }],
                };
                self.clear_certificate_errors();
                self.server_errors.extend(fields);
            }
        }
    }

    /// Forgets what was said about the upload form's fields.
    fn clear_certificate_errors(&mut self) {
        self.server_errors.retain(|e| section_of(&e.field) != Section::Certificates);
    }

    /// Drops an uploaded (not yet saved) certificate: the stored one stays.
    pub fn discard_certificate_upload(&mut self) {
        self.draft.certificate = CertificateDraft::Keep;
        self.certificate_preview = None;
        self.edited(FIELD_CERTIFICATE);
    }
}

#[cfg(test)]
mod tests;
