//! What the host hears of the editor: between two looks at the editor, the
//! events that happened (unsaved edits appearing or going, a test starting
//! or ending, a save). Plain Rust over [`Look`]s, so the rules are tested
//! without a browser.

use conduit_types::TestOutcome;

use super::messages::{TestState, ToHost};
use crate::editor::{Activity, Editor, Notice, TestReport};

/// What the host cares about in the editor, at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Look {
    pub dirty: bool,
    pub testing: bool,
    /// The last finished test's outcome and sentence.
    pub last_test: Option<(bool, String)>,
    /// The saved version, and whether the page just saved it.
    pub version: i64,
    pub just_saved: bool,
}

impl Look {
    pub fn at(editor: &Editor) -> Look {
        Look {
            dirty: editor.is_dirty(),
            testing: matches!(editor.activity(), Activity::Testing { .. }),
            last_test: match editor.last_test() {
                Some(TestReport::Finished(result)) => Some((result.outcome == TestOutcome::Ok, result.message.clone())),
                Some(TestReport::NotRun(sentence)) => Some((false, sentence.clone())),
                Some(TestReport::Cancelled) | None => None,
            },
            version: editor.saved().version,
            just_saved: editor.notice() == Some(&Notice::Saved),
        }
    }
}

/// The events between `before` and `now`, in the order they happened.
pub fn events(before: &Look, now: &Look) -> Vec<ToHost> {
    let mut events = Vec::new();
    if now.testing && !before.testing {
        events.push(ToHost::Test { state: TestState::Started, message: None });
    }
    if before.testing && !now.testing {
        events.push(match &now.last_test {
            Some((true, message)) => ToHost::Test { state: TestState::Passed, message: Some(message.clone()) },
            Some((false, message)) => ToHost::Test { state: TestState::Failed, message: Some(message.clone()) },
            // Cancelled: it ended without an outcome.
            None => ToHost::Test { state: TestState::Failed, message: Some("The test was cancelled.".to_owned()) },
        });
    }
    if now.just_saved && (now.version != before.version || !before.just_saved) {
        events.push(ToHost::Saved { version: now.version });
    }
    if now.dirty != before.dirty {
        events.push(ToHost::Dirty { dirty: now.dirty });
    }
    events
}

#[cfg(test)]
mod tests;
