//! The one confirm dialog: a question asked before something that cannot be
//! taken back (saving an instance that process flows use, discarding edits).

use leptos::{html, prelude::*};

/// A native modal `<dialog>` titled `title` and described by `text`: the
/// caller opens it with `showModal()`; Escape or `cancel` (`keep editing` unless named) closes it,
/// the `confirm` button closes it and runs `on_confirm`. Focus goes back to
/// `return_focus` however it closes. Its title and text have the ids
/// `{id}-title` and `{id}-text`; `children` stand between the text and the
/// buttons.
#[component]
pub fn ConfirmDialog(
    dialog: NodeRef<html::Dialog>,
    return_focus: NodeRef<html::Button>,
    /// The prefix of the title's and the text's element ids.
    id: &'static str,
    title: &'static str,
    text: &'static str,
    /// The label of the button that goes ahead.
    confirm: &'static str,
    on_confirm: Callback<()>,
    /// The label of the button that closes the question without going ahead.
    #[prop(default = "keep editing")]
    cancel: &'static str,
    #[prop(optional)] children: Option<Children>,
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
    let (title_id, text_id) = (format!("{id}-title"), format!("{id}-text"));
    view! {
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby=title_id
            aria-describedby=text_id
            on:close=move |_| give_back_focus()
        >
            <h2 id=title_id.clone() class="dialog__title">{title}</h2>
            <p id=text_id.clone()>{text}</p>
            {children.map(|children| children())}
            <div class="dialog__buttons">
                <button
                    type="button"
                    class="button button--primary"
                    on:click=move |_| {
                        close();
                        on_confirm.run(());
                    }
                >
                    {confirm}
                </button>
                <button type="button" class="button button--secondary" autofocus on:click=move |_| close()>
                    {cancel}
                </button>
            </div>
        </dialog>
    }
}
