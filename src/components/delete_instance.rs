//! `delete instance` in the settings' side column: a trash button that
//! asks, in a modal dialog, for the word `confirm` before deleting; while
//! process flows use the instance, the flows instead of the button.

use conduit_types::ProcessFlowRef;
use leptos::{html, prelude::*};

use crate::components::confirm_dialog;
use crate::components::guarded_button::GuardedButton;
use crate::components::process_flows_card::FlowList;
use crate::deletion::{in_use_text, question, unavailable_reason};

/// The card. `on_delete` is the page's request; `refusal` the sentence of
/// its failure, shown in the dialog; `busy` while it is under way.
#[component]
pub fn DeleteInstance(
    name: Signal<String>,
    flows: Vec<ProcessFlowRef>,
    on_delete: Callback<()>,
    refusal: Signal<Option<String>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let body = if flows.is_empty() {
        view! { <DeleteButton name on_delete refusal busy /> }.into_any()
    } else {
        view! {
            <p>{in_use_text(&flows)}</p>
            <FlowList flows />
        }
        .into_any()
    };
    view! {
        <section class="card side-card" aria-labelledby="delete-heading">
            <h2 id="delete-heading" class="side-card__title">"delete instance"</h2>
            {body}
        </section>
    }
}

#[component]
fn DeleteButton(name: Signal<String>, on_delete: Callback<()>, refusal: Signal<Option<String>>, busy: Signal<bool>) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let button = NodeRef::<html::Button>::new();
    let typed = RwSignal::new(String::new());
    let reason = move || unavailable_reason(&typed.get());
    let unavailable = Signal::derive(move || reason().is_some() || busy.get());
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let give_back_focus = move || {
        typed.set(String::new());
        if let Some(button) = button.get_untracked() {
            _ = button.focus();
        }
    };
    view! {
        <button
            type="button"
            class="button button--secondary icon-button"
            aria-label="delete instance"
            node_ref=button
            on:click=move |_| confirm_dialog::open(dialog, button)
        >
            <svg class="icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
                <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6" />
            </svg>
        </button>
        <dialog class="dialog" node_ref=dialog aria-labelledby="delete-dialog-title" aria-describedby="delete-dialog-text" on:close=move |_| give_back_focus()>
            <h2 id="delete-dialog-title" class="dialog__title">"delete instance?"</h2>
            <p id="delete-dialog-text">{move || question(&name.get())}</p>
            <div class="form-field">
                <label for="delete-confirm">"type confirm to delete"</label>
                <input id="delete-confirm" type="text" autocomplete="off" spellcheck="false" prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
                <p id="delete-reason" class="form-field__help">{reason}</p>
            </div>
            {move || refusal.get().map(|sentence| view! { <p class="form-field__error" role="alert">{sentence}</p> })}
            <div class="dialog__buttons">
                <GuardedButton primary=true unavailable described_by="delete-reason" on_click=on_delete>
                    "delete"
                </GuardedButton>
                <button type="button" class="button button--secondary" autofocus on:click=move |_| close()>
                    "keep instance"
                </button>
            </div>
        </dialog>
    }
}
