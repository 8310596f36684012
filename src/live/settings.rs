//! What an instance event means for an open `instance settings` page, and
//! the sentences it shows ("Ada Lovelace saved this instance a moment
//! ago."). Plain Rust: the page only wires what [`change`] answers.

use conduit_types::{Id, InstanceEvent, InstanceEventKind, InstanceStatus, Timestamp};

use super::list::tried_at;

/// What the page knows when an event arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub instance: Id,
    /// The signed-in user.
    pub me: Option<Id>,
    /// The version of the saved settings the page holds.
    pub version: i64,
    pub status: InstanceStatus,
    /// The draft differs from the saved settings.
    pub dirty: bool,
    /// The page's own save is on its way (its answer decides).
    pub saving: bool,
    /// The page's own test is on its way (its answer tells the outcome).
    pub testing: bool,
}

/// What the page does about an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing: another instance, a save the page already has, or its own.
    Nothing,
    /// A test was recorded: the history reloads.
    History,
    /// The status was recorded anew: the header follows (the draft stays),
    /// the history reloads, and a change of status is told.
    Status {
        status: InstanceStatus,
        tested_at: Option<Timestamp>,
        checked_at: Option<Timestamp>,
        sentence: Option<String>,
    },
    /// Saved elsewhere, and the page has no edits: it loads the saved
    /// settings and tells who saved.
    Reload { sentence: String },
    /// Saved elsewhere while the page has edits: saving them would
    /// conflict. The page shows the conflict (re-apply or reload) at once.
    Conflict { sentence: String, changed: Vec<String> },
    /// Deleted elsewhere.
    Deleted { sentence: String },
}

/// What `event` means for `page`, at `now`.
pub fn change(event: &InstanceEvent, page: &Page, now: Timestamp) -> Change {
    if event.instance != page.instance {
        return Change::Nothing;
    }
    let who = who(event, page.me);
    match event.kind {
        InstanceEventKind::Saved => {
            if page.saving || event.version.is_some_and(|v| v <= page.version) {
                return Change::Nothing;
            }
            let elsewhere = if who == YOU { " in another window" } else { "" };
            let sentence = format!("{who} saved this instance{elsewhere} {}.", when(event.at, now));
            if page.dirty {
                Change::Conflict {
                    sentence: format!("{sentence} Saving your edits now would conflict with that save."),
                    changed: event.changed.clone(),
                }
            } else {
                Change::Reload { sentence: format!("{sentence} The page shows the saved settings.") }
            }
        }
        InstanceEventKind::Created | InstanceEventKind::Tested => Change::History,
        InstanceEventKind::Status => {
            let Some(status) = event.status else {
                return Change::History;
            };
            let (tested_at, checked_at) = tried_at(event);
            let own_test = page.testing && page.me.is_some() && event.by == page.me;
            let sentence = (status != page.status && !own_test).then(|| {
                if event.automatic {
                    format!("The automatic check found this instance {}.", status.label())
                } else {
                    format!("{} test found this instance {}.", possessive(&who), status.label())
                }
            });
            Change::Status { status, tested_at, checked_at, sentence }
        }
        InstanceEventKind::Deleted => Change::Deleted { sentence: format!("{who} deleted this instance {}.", when(event.at, now)) },
    }
}

const YOU: &str = "You";

/// Who did it: "You" when it was the signed-in user (in another window).
fn who(event: &InstanceEvent, me: Option<Id>) -> String {
    if me.is_some() && event.by == me {
        YOU.to_string()
    } else {
        event.actor.clone()
    }
}

/// "Your" for "You", else "Ada Lovelace's".
fn possessive(who: &str) -> String {
    if who == YOU {
        "Your".to_string()
    } else {
        format!("{who}'s")
    }
}

/// "a moment ago" for the last minute, else how long ago.
fn when(at: Timestamp, now: Timestamp) -> String {
    if now - at < 60 {
        "a moment ago".to_string()
    } else {
        crate::text::ago(at, now)
    }
}

#[cfg(test)]
mod tests;
