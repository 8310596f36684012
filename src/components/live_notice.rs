use leptos::prelude::*;

/// What another window just did to this instance ("Ada Lovelace saved this
/// instance a moment ago."), in a polite live region that is always there,
/// so screen readers hear each new sentence.
#[component]
pub fn LiveNotice(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="live-notice" role="status">
            {move || text.get().map(|text| view! { <p class="notice notice--info">{text}</p> })}
        </div>
    }
}
