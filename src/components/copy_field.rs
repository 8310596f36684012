//! A read-only value with a copy button (the OAuth callback address, a new
//! API key's secret): copied to the clipboard when there is one, otherwise
//! selected to copy by hand, and a status that says which.

use leptos::{html, prelude::*};
use wasm_bindgen::JsValue;

const SELECTED: &str = "selected: press Ctrl+C (⌘C) to copy it";

/// The input (id `id`, labelled by the caller's `<label for=id>`), its copy
/// button labelled `button`, and `help` under them (id `{id}-help`), which
/// describes the input and ends with the copy status.
#[component]
pub fn CopyField(
    id: &'static str,
    #[prop(into)] value: Signal<String>,
    button: &'static str,
    help: &'static str,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let said = RwSignal::new("");
    // Without a clipboard (a page that is not secure, or refused), the
    // value is selected to copy by hand.
    let select = move || {
        if let Some(input) = input.get_untracked() {
            input.select();
        }
        said.set(SELECTED);
    };
    let copy = move |_| {
        let navigator = window().navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .is_ok_and(|c| !c.is_undefined());
        if !has_clipboard {
            return select();
        }
        let promise = navigator.clipboard().write_text(&value.get_untracked());
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => said.set("copied"),
                Err(_) => select(),
            }
        });
    };
    let help_id = format!("{id}-help");
    view! {
        <div class="copy-field">
            <input id=id type="text" readonly node_ref=input prop:value=value aria-describedby=help_id.clone() />
            <button type="button" class="button button--secondary button--small" on:click=copy>
                {button}
            </button>
        </div>
        <p class="form-field__help" id=help_id>
            {help}
            " "
            <span role="status">{move || said.get()}</span>
        </p>
    }
}
