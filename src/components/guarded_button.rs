//! A button that stays in place and focusable while it is unavailable.

use leptos::{html, prelude::*};

/// A `button` marked `aria-disabled` (not `disabled`) while `unavailable`,
/// so it keeps focus and its description can still be reached and read; a
/// click runs `on_click` only while it is available. Secondary unless
/// `primary`; `described_by` names the element describing it.
#[component]
pub fn GuardedButton(
    #[prop(optional)] button: NodeRef<html::Button>,
    unavailable: Signal<bool>,
    on_click: Callback<()>,
    #[prop(optional)] primary: bool,
    #[prop(optional)] described_by: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let class = if primary { "button button--primary" } else { "button button--secondary" };
    view! {
        <button
            type="button"
            class=class
            node_ref=button
            aria-describedby=described_by
            aria-disabled=move || unavailable.get().then_some("true")
            on:click=move |_| {
                if !unavailable.get_untracked() {
                    on_click.run(());
                }
            }
        >
            {children()}
        </button>
    }
}
