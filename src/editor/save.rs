//! Saving: a click on `save instance settings`, the request it sends (with
//! the receipt or the authorisation the server needs), and where the
//! answer goes.

use conduit_types::draft::{self, SaveRequest};
use conduit_types::{ErrorCode, InstanceSettings};

use super::gate::Block;
use super::state::{Activity, Editor, Notice};
use crate::api::ApiError;

impl Editor {
    /// A click on `save instance settings`: every error shows from now on.
    /// Returns whether saving may go ahead.
    pub fn attempt_save(&mut self) -> Result<(), Block> {
        self.attempted = true;
        self.gate()
    }

    /// Starts saving: the request to send, or `None` when save is blocked.
    pub fn begin_save(&mut self) -> Option<SaveRequest> {
        self.attempted = true;
        self.gate().ok()?;
        let authorisation = self.authorisation().map(str::to_owned);
        let receipt = self
            .passed
            .as_ref()
            .filter(|_| authorisation.is_none() && draft::changes_connection(&self.saved, &self.draft))
            .map(|p| p.receipt.clone());
        self.activity = Activity::Saving;
        self.quiet();
        Some(SaveRequest {
            base_version: self.saved.version,
            draft: self.draft.clone(),
            receipt,
            authorisation,
        })
    }

    /// The answer to a save: the saved settings become the new start, or
    /// the error goes where it belongs (fields, the conflict alert, the
    /// sentence by the save button).
    pub fn finish_save(&mut self, answer: Result<InstanceSettings, ApiError>) {
        if self.activity != Activity::Saving {
            return;
        }
        self.activity = Activity::Idle;
        match answer {
            Ok(saved) => {
                self.reset(saved);
                self.notice = Some(Notice::Saved);
            }
            Err(error) if error.code() == Some(ErrorCode::TestRequired) => {
                self.passed = None;
                self.authorising = None;
                self.notice = Some(Notice::TestRequired(error.to_string()));
            }
            Err(error) => {
                if !self.take_error(&error) {
                    self.notice = Some(Notice::Problem(error.to_string()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
