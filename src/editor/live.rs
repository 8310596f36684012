//! What live events from other windows do to the editor: a save elsewhere
//! while the draft has edits is the conflict a refused save would give (so
//! `re-apply my changes` and `reload saved settings` work as they do
//! there, before the user tries to save); a status found elsewhere moves
//! the saved settings' status and times, never the draft.

use conduit_types::{InstanceStatus, Timestamp};

use super::state::{Conflict, Editor, Notice};

impl Editor {
    /// Someone saved the instance elsewhere, changing the fields labelled
    /// `changed`; `sentence` says who and when. A conflict already shown
    /// takes the newer sentence and adds the fields.
    pub fn saved_elsewhere(&mut self, sentence: String, changed: &[String]) {
        match &mut self.notice {
            Some(Notice::Conflict(conflict)) => {
                conflict.sentence = sentence;
                for label in changed {
                    if !conflict.changed.contains(label) {
                        conflict.changed.push(label.clone());
                    }
                }
            }
            notice => {
                *notice = Some(Notice::Conflict(Conflict {
                    sentence,
                    changed: changed.to_vec(),
                    reapply: false,
                    reload_problem: None,
                }))
            }
        }
    }

    /// The instance's status was recorded elsewhere (a test or the
    /// background checker), with when it was tested or checked.
    pub fn status_elsewhere(&mut self, status: InstanceStatus, tested_at: Option<Timestamp>, checked_at: Option<Timestamp>) {
        self.saved.status = status;
        if tested_at.is_some() {
            self.saved.last_tested_at = tested_at;
        }
        if checked_at.is_some() {
            self.saved.last_checked_at = checked_at;
        }
    }
}

#[cfg(test)]
mod tests;
