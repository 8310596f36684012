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
