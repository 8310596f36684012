use leptos::{html, prelude::*};

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
    let give_back_focus = move || {
        if let Some(button) = button.get_untracked() {
            _ = button.focus();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
        give_back_focus();
    };
    let ask = move |_| {
        if !unavailable() {
            if let Some(dialog) = dialog.get_untracked() {
                _ = dialog.show_modal();
            }
        }
    };
    let discard = move |_| {
        close();
        actions.discard();
    };
    view! {
        <button
            type="button"
            class="button button--secondary"
            node_ref=button
            aria-disabled=move || unavailable().then_some("true")
            on:click=ask
        >
            "discard changes"
        </button>
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby="discard-dialog-title"
            aria-describedby="discard-dialog-text"
            on:close=move |_| give_back_focus()
        >
            <h2 id="discard-dialog-title" class="dialog__title">"discard changes?"</h2>
            <p id="discard-dialog-text">
                "Your unsaved edits on every tab go, and the saved settings come back. Nothing saved changes."
            </p>
            <div class="dialog__buttons">
                <button type="button" class="button button--primary" on:click=discard>
                    "discard"
                </button>
                <button type="button" class="button button--secondary" autofocus on:click=move |_| close()>
                    "keep editing"
                </button>
            </div>
        </dialog>
    }
}
