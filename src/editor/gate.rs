//! The save gate: whether `save instance settings` may save now and why
//! not, the problems listed while it is blocked, and what marks each tab.

use conduit_types::draft::changed_fields;
use conduit_types::FieldError;

use super::places::{section_of, tab_of};
use super::state::{Activity, Editor};
use crate::tabs::{SettingsTab, TabMark};

/// Why `save instance settings` is not available, in the order the page
/// checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Testing,
    Saving,
    /// Someone else saved the instance after this draft was started.
    Conflict,
    Unchanged,
    Invalid,
    /// Waiting for the user at the provider's consent page.
    Authorising,
    /// The draft changes a connection that is checked by authorising at the
    /// provider, and this draft has not been authorised.
    NeedsAuthorisation,
    /// The draft changes the connection and this connection has not passed a test.
    NeedsTest,
}

impl Block {
    /// The sentence shown beside the save button.
    pub fn sentence(self) -> &'static str {
        match self {
            Block::Testing => "Testing the connection: save once the test has finished.",
            Block::Saving => "Saving the instance settings…",
            Block::Conflict => {
                "Someone else saved this instance: reload saved settings before saving again."
            }
            Block::Unchanged => "Nothing to save yet: no setting has changed.",
            Block::Invalid => "Fix the fields marked in red before saving.",
            Block::Authorising => "Authorising with the provider: save once it has finished.",
            Block::NeedsAuthorisation => {
                "These changes affect the connection: authorise with the provider, and save once it has authorised."
            }
            Block::NeedsTest => {
                "These changes affect the connection: test instance connection, and save once the test passes."
            }
        }
    }
}

impl Editor {
    /// Whether `save instance settings` may save now, or why not.
    pub fn gate(&self) -> Result<(), Block> {
        match self.activity {
            Activity::Testing { .. } => return Err(Block::Testing),
            Activity::Saving => return Err(Block::Saving),
            Activity::Authorising { .. } => return Err(Block::Authorising),
            Activity::Idle => {}
        }
        if self.conflict_notice().is_some() {
            return Err(Block::Conflict);
        }
        let changed = changed_fields(&self.saved, &self.draft);
        let authorised = self.authorisation().is_some();
        if changed.is_empty() && !self.rate_limit_bad && !authorised {
            return Err(Block::Unchanged);
        }
        if !self.errors().is_empty() {
            return Err(Block::Invalid);
        }
        if changed.iter().any(|c| c.connection) {
            if !self.can_test() {
                return if authorised { Ok(()) } else { Err(Block::NeedsAuthorisation) };
            }
            let tested = self
                .passed
                .as_ref()
                .is_some_and(|p| p.draft.connection() == self.draft.connection());
            if !tested {
                return Err(Block::NeedsTest);
            }
        }
        Ok(())
    }

    /// The problems listed by the buttons while they keep save disabled:
    /// every error, whether its field shows it yet or not (a field the user
    /// has not reached, on this tab or another), so a disabled save never
    /// points at nothing.
    pub fn problems(&self) -> Vec<FieldError> {
        if self.gate() == Err(Block::Invalid) {
            self.errors()
        } else {
            vec![]
        }
    }

    /// What marks each tab: unsaved edits, and errors shown on it or listed
    /// as problems.
    pub fn tab_marks(&self) -> [TabMark; 3] {
        let mut marks = [TabMark::default(); 3];
        let sections = self.new_draft_edits().unwrap_or_else(|| {
            changed_fields(&self.saved, &self.draft).into_iter().map(|c| c.section).collect()
        });
        for section in sections {
            marks[tab_of(section).index()].unsaved = true;
        }
        if self.rate_limit_bad {
            marks[SettingsTab::Details.index()].unsaved = true;
        }
        for error in self.visible_errors().into_iter().chain(self.problems()) {
            marks[tab_of(section_of(&error.field)).index()].errors = true;
        }
        marks
    }
}

#[cfg(test)]
mod tests;
