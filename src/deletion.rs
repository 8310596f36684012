//! Deleting an instance, in plain Rust: the word the person types to
//! confirm, what the question and the refusal say, and the status message
//! `manage connectors` shows once the instance is gone (handed over in
//! memory, so no address can make the page say it).

use std::cell::RefCell;

use conduit_types::ProcessFlowRef;

/// What the person types to confirm the deletion.
pub const CONFIRM_WORD: &str = "confirm";

/// Why the dialog's delete button is unavailable, or `None` once the typed
/// text is exactly [`CONFIRM_WORD`].
pub fn unavailable_reason(typed: &str) -> Option<&'static str> {
    (typed != CONFIRM_WORD).then_some("Type confirm in the field above to delete the instance.")
}

/// The dialog's question.
pub fn question(name: &str) -> String {
    format!("“{name}” goes for good, with its stored secrets, certificate key and tokens. This cannot be undone.")
}

/// What the page says instead of offering to delete, while flows use it.
pub fn in_use_text(flows: &[ProcessFlowRef]) -> String {
    let what = if flows.len() == 1 { "this process flow uses" } else { "these process flows use" };
    format!("This instance cannot be deleted while {what} it. Remove it from them first:")
}

/// The status message after deleting `name`.
pub fn deleted_message(name: &str) -> String {
    format!("The instance “{name}” was deleted.")
}

thread_local! {
    static STATUS: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Leaves `message` for the next page to show once.
pub fn leave_status(message: String) {
    STATUS.with(|s| *s.borrow_mut() = Some(message));
}

/// The message left for this page, taken (shown once).
pub fn take_status() -> Option<String> {
    STATUS.with(|s| s.borrow_mut().take())
}

#[cfg(test)]
mod tests;
