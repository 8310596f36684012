//! The sentences the developer settings views show as things change: an
//! error under a field and a failure said for a whole section. Each is one
//! function over a signal, so every place that shows one shares its code.

use leptos::prelude::*;

/// The error under a field (id `id`, which the field's `aria-describedby`
/// names while there is one), while `message` holds one.
pub fn field_error(id: String, message: Signal<Option<String>>) -> impl IntoView {
    move || message.get().map(|message| view! { <p class="form-field__error" id=id.clone()>{message}</p> })
}

/// A live alert that says `problem` while there is one.
pub fn problem_alert(problem: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="alert" role="alert">
            {move || problem.get().map(|problem| view! { <p class="alert__message">{problem}</p> })}
        </div>
    }
}
