use conduit_types::AuthKind;
use leptos::{html, prelude::*};
use wasm_bindgen::JsValue;

use crate::editor::{Authorising, Editor};

const SELECTED: &str = "selected: press Ctrl+C (⌘C) to copy it";

/// For a method that authorises with the provider: the callback address to
/// register with the provider, with a copy button, and after authorising
/// the scopes the provider says it granted.
#[component]
pub fn CallbackAddress(editor: RwSignal<Editor>) -> impl IntoView {
    let url = editor.with_untracked(|e| e.saved().oauth_callback_url.clone()).unwrap_or_default();
    let hidden = {
        let none = url.is_empty();
        move || none || editor.with(|e| e.method().is_none_or(|m| m.kind != AuthKind::Oauth2AuthorisationCode))
    };
    let said = RwSignal::new("");
    let input = NodeRef::<html::Input>::new();
    // Without a clipboard (a page that is not secure, or refused), the
    // address is selected to copy by hand.
    let select = move || {
        if let Some(input) = input.get_untracked() {
            input.select();
        }
        said.set(SELECTED);
    };
    let address = url.clone();
    let copy = move |_| {
        let navigator = window().navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .is_ok_and(|c| !c.is_undefined());
        if !has_clipboard {
            return select();
        }
        let promise = navigator.clipboard().write_text(&address);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => said.set("copied"),
                Err(_) => select(),
            }
        });
    };
    let granted = move || {
        editor
            .with(|e| match e.authorising() {
                Some(Authorising::Authorised { granted: Some(scope), .. }) => Some(scope.clone()),
                _ => None,
            })
            .map(|scope| view! { <p class="form-field__help">"the provider granted: " <strong>{scope}</strong></p> })
    };
    view! {
        <div class="form-field" hidden=hidden>
            <label for="callback-address">"callback address"</label>
            <div class="copy-field">
                <input id="callback-address" type="text" readonly node_ref=input value=url aria-describedby="callback-address-help" />
                <button type="button" class="button button--secondary button--small" on:click=copy>
                    "copy callback address"
                </button>
            </div>
            <p class="form-field__help" id="callback-address-help">
                "Register this address with the provider: it sends you back here after you authorise. "
                <span role="status">{move || said.get()}</span>
            </p>
            {granted}
        </div>
    }
}
