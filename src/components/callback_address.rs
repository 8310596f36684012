use conduit_types::AuthKind;
use leptos::prelude::*;

use crate::components::copy_field::CopyField;
use crate::editor::{Authorising, Editor};

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
            <CopyField
                id="callback-address"
                value=url
                button="copy callback address"
                help="Register this address with the provider: it sends you back here after you authorise."
            />
            {granted}
        </div>
    }
}
