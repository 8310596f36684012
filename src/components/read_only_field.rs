use leptos::prelude::*;

/// One setting shown read-only: its label, its value, and help under it.
/// Belongs in a `<dl class="fields">`.
#[component]
pub fn ReadOnlyField(
    #[prop(into)] label: String,
    #[prop(optional_no_strip)] help: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <dt class="field__label">{label}</dt>
            <dd class="field__value">{children()}</dd>
            {help.map(|help| view! { <dd class="field__help">{help}</dd> })}
        </div>
    }
}

/// The words for a value that is missing.
#[component]
pub fn NotSet() -> impl IntoView {
    view! { <span class="muted">"not set"</span> }
}

/// A secret is never shown: only whether one is stored.
#[component]
pub fn SecretState(is_set: bool) -> impl IntoView {
    if is_set {
        view! { <span class="secret">"stored"</span> }.into_any()
    } else {
        view! { <NotSet /> }.into_any()
    }
}
