//! The `instance settings` editor: one draft for all three tabs, and the
//! rules of the page around it — which errors show where, what marks a tab,
//! when `save instance settings` is allowed and why not, and what a test or
//! save answer does to the draft.
//!
//! Plain Rust, tested without a browser. The rules about the draft itself
//! (validation, what changed, what touches the connection) come from
//! [`conduit_types::draft`], the same code the server enforces; this module
//! only adds what belongs to the page: form text that is not yet a value,
//! which fields the user has touched, the last test and its receipt.
//!
//! An index: the [`Editor`] struct and what is in flight ([`Activity`]) or
//! shown ([`Notice`]) live in `state`; each concern's `impl Editor` block in
//! its own part: `gate` (may it save, and why not), `fields` (setters),
//! `errors` (which errors show where), `places` (a field's tab and element
//! ids), `certificate` (uploads), `authorise`, `test_run`, `save` and
//! `reload` (after a conflict, and discarding), `live` (what other
//! windows' saves and tests do to the page); `new_draft` (a new
//! instance's draft, edited against blank settings).

mod authorise;
mod certificate;
mod errors;
mod fields;
mod gate;
mod limits;
mod new_draft;
mod live;
mod places;
mod reload;
mod save;
mod state;
mod test_run;

#[cfg(test)]
pub(crate) mod test_support;

pub use authorise::{AUTHORISING_CANCELLED, NO_TEST_NOTE};
pub use conduit_types::draft::{parse_rate_limit, RateLimitInput, RATE_LIMIT_NOT_A_NUMBER};
pub use fields::SecretChoice;
pub use gate::Block;
pub use places::{error_id, field_id, section_of, tab_of};
pub use state::{Activity, Authorising, Conflict, Editor, Notice, TestReport};
