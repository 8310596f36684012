//! Test runs: `test instance connection` starts a test of the draft with a
//! ticket, `cancel test` drops it, and only the answer with the running
//! test's ticket counts; a pass keeps the server's receipt for the save.

use conduit_types::draft::{InstanceDraft, TestDraftRequest, TestDraftResponse};
use conduit_types::{TestOutcome, Timestamp};

use super::state::{Activity, Editor, Notice, Passed, TestReport};
use crate::api::ApiError;

impl Editor {
    /// Starts `test instance connection`: the request to send, and the
    /// ticket its answer comes back with. `None` when nothing is sent
    /// (busy, a method without tests, or fields to fix, which now show).
    pub fn begin_test(&mut self, now_ms: u64) -> Option<(u32, TestDraftRequest)> {
        if self.activity != Activity::Idle || !self.can_test() {
            return None;
        }
        self.attempted = true;
        self.quiet();
        self.last_test = None;
        if !self.errors().is_empty() {
            return None;
        }
        self.tickets += 1;
        let ticket = self.tickets;
        self.activity = Activity::Testing { started_ms: now_ms, ticket };
        Some((
            ticket,
            TestDraftRequest {
                base_version: self.saved.version,
                draft: self.draft.clone(),
            },
        ))
    }

    /// `cancel test`: the answer, if one still comes, is ignored.
    pub fn cancel_test(&mut self) {
        if let Activity::Testing { .. } = self.activity {
            self.activity = Activity::Idle;
            self.last_test = Some(TestReport::Cancelled);
        }
    }

    /// The answer to the test with `ticket`, which tested `tested`.
    pub fn finish_test(&mut self, ticket: u32, tested: InstanceDraft, answer: Result<TestDraftResponse, ApiError>) {
        let started_ms = match self.activity {
            Activity::Testing { ticket: running, started_ms } if running == ticket => started_ms,
            _ => return,
        };
        self.activity = Activity::Idle;
        match answer {
            Ok(TestDraftResponse { result, receipt, status }) => {
                if let Some(status) = status {
                    // The test was of the saved connection: it says how
                    // the instance is doing now, as of this test.
                    self.saved.status = status;
                    self.saved.last_tested_at = Some((started_ms / 1000) as Timestamp);
                }
                if let (TestOutcome::Ok, Some(receipt)) = (result.outcome, receipt) {
                    self.passed = Some(Passed {
                        draft: tested,
                        receipt: receipt.token,
                    });
                    if matches!(self.notice, Some(Notice::TestRequired(_))) {
                        self.notice = None;
                    }
                }
                self.last_test = Some(TestReport::Finished(result));
            }
            Err(ApiError::Cancelled) => self.last_test = Some(TestReport::Cancelled),
            Err(error) => {
                self.take_error(&error);
                self.last_test = Some(TestReport::NotRun(error.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests;
