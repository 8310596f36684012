use conduit_types::ProcessFlowRef;
use leptos::{html, prelude::*};

use crate::components::process_flows_card::FlowList;

/// The question before saving an instance that process flows use: which
/// flows (enabled or not), and that the change reaches them at once. A
/// native modal `<dialog>`: the caller opens it with `showModal()`; Escape
/// or `keep editing` closes it, `save now` closes it and saves. Focus goes
/// back to `return_focus` however it closes.
#[component]
pub fn SaveDialog(
    dialog: NodeRef<html::Dialog>,
    flows: Vec<ProcessFlowRef>,
    on_confirm: Callback<()>,
    return_focus: NodeRef<html::Button>,
) -> impl IntoView {
    let give_back_focus = move || {
        if let Some(button) = return_focus.get_untracked() {
            _ = button.focus();
        }
    };
    // Closing by a button gives focus back at once; Escape does it through
    // the dialog's `close` event.
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
        give_back_focus();
    };
    let on_close = move |_| give_back_focus();
    view! {
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby="save-dialog-title"
            aria-describedby="save-dialog-text"
            on:close=on_close
        >
            <h2 id="save-dialog-title" class="dialog__title">"save instance settings?"</h2>
            <p id="save-dialog-text">
                "These process flows use this instance. The change takes effect in them at once, whether they are enabled or not."
            </p>
            <FlowList flows />
            <div class="dialog__buttons">
                <button
                    type="button"
                    class="button button--primary"
                    on:click=move |_| {
                        close();
                        on_confirm.run(());
                    }
                >
                    "save now"
                </button>
                <button type="button" class="button button--secondary" autofocus on:click=move |_| close()>
                    "keep editing"
                </button>
            </div>
        </dialog>
    }
}
