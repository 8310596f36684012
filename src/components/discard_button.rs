use leptos::{html, prelude::*};

use crate::components::confirm_dialog::{self, ConfirmDialog};
use crate::components::guarded_button::GuardedButton;
use crate::editor::Activity;
use crate::instance_actions::InstanceActions;

/// `discard changes` beside save, and its question: a native modal
/// `<dialog>`; `discard` puts the draft back to the saved settings, `keep
/// editing` or Escape keeps it. The button stays in place (marked
/// unavailable while there is nothing to discard, or something is under
/// way), so focus always has somewhere to go back to.
#[component]
pub fn DiscardButton(actions: InstanceActions) -> impl IntoView {
    let editor = actions.editor();
    let dialog = NodeRef::<html::Dialog>::new();
    let button = NodeRef::<html::Button>::new();
    let unavailable = move || editor.with(|e| !e.is_dirty() || *e.activity() != Activity::Idle);
    let ask = move |()| confirm_dialog::open(dialog, button);
    view! {
        <GuardedButton button unavailable=Signal::derive(unavailable) on_click=Callback::new(ask)>
            "discard changes"
        </GuardedButton>
        <ConfirmDialog
            dialog
            return_focus=button
            id="discard-dialog"
            title="discard changes?"
            text="Your unsaved edits on every tab go, and the saved settings come back. Nothing saved changes."
            confirm="discard"
            on_confirm=Callback::new(move |()| actions.discard())
        />
    }
}
