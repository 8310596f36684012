//! The one confirm dialog: a question asked before something that cannot be
//! taken back (saving an instance that process flows use, discarding edits).

use leptos::{html, prelude::*};

/// Opens a [`ConfirmDialog`] as a modal question. An embedded page is as
/// tall as its content inside the host's iframe, so the middle of its
/// viewport (where a modal dialog sits) may be far off the person's screen:
/// there the question opens just above `near`, the button that asked it,
/// which the person is looking at.
pub fn open(dialog: NodeRef<html::Dialog>, near: NodeRef<html::Button>) {
    let Some(dialog) = dialog.get_untracked() else { return };
    _ = dialog.show_modal();
    let embedded = document().document_element().is_some_and(|root| root.class_list().contains("embedded"));
    if let (true, Some(near)) = (embedded, near.get_untracked()) {
        let page_top = near.get_bounding_client_rect().top() + window().scroll_y().unwrap_or(0.0);
        let top = top_above(page_top, f64::from(dialog.offset_height()));
        let style = web_sys::HtmlElement::style(&dialog);
        for (property, value) in [("position", "absolute".to_owned()), ("bottom", "auto".to_owned()), ("margin-top", "0".to_owned()), ("top", format!("{top}px"))] {
            _ = style.set_property(property, &value);
        }
    }
}

/// Where a dialog `height` tall starts so that it ends just above an
/// element whose top is `anchor_top` down the page (never above the page).
pub fn top_above(anchor_top: f64, height: f64) -> f64 {
    (anchor_top - height - 16.0).max(8.0).round()
}

/// A native modal `<dialog>` titled `title` and described by `text`: the
/// caller opens it with [`open`]; Escape or `cancel` (`keep editing` unless named) closes it,
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

#[cfg(test)]
mod tests {
    use super::top_above;

    #[test]
    fn an_embedded_question_opens_just_above_its_button_and_never_above_the_page() {
        assert_eq!(top_above(1400.0, 220.0), 1164.0);
        assert_eq!(top_above(100.0, 220.0), 8.0);
    }
}
