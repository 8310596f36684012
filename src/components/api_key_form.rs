//! The `create API key` form, and the key just created: its secret shown
//! this once in a read-only field with a copy button.

use leptos::prelude::*;

use crate::components::copy_field::CopyField;
use crate::components::messages::{field_error, problem_alert};
use crate::developer::key_form::{KEY_NAME_ID, SECRET_ID};
use crate::developer::KeyForm;
use crate::developer_actions::DeveloperActions;

/// A labelled `key name` with its error, and `create API key`. Not a
/// `<form>`: Enter in the field does not create a key by accident.
#[component]
pub fn ApiKeyForm(actions: DeveloperActions) -> impl IntoView {
    let form = actions.form;
    let error = Signal::derive(move || form.with(KeyForm::name_error));
    let help_id = format!("{KEY_NAME_ID}-help");
    let error_id = format!("{KEY_NAME_ID}-error");
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{help_id} {error_id}"),
            None => help_id.clone(),
        }
    };
    let problem = Signal::derive(move || form.with(|f| f.problem().map(str::to_string)));
    // Always there, hidden until a key is created; the secret is in it only
    // while the key just created is shown.
    let shown = move || form.with(|f| f.shown().is_some());
    let secret = Signal::derive(move || form.with(|f| f.shown().map(|c| c.secret.clone()).unwrap_or_default()));
    let shown_name = move || form.with(|f| f.shown().map(|c| c.key.name.clone()).unwrap_or_default());
    view! {
        <div class="key-form" role="group" aria-labelledby="key-form-heading">
            <h3 id="key-form-heading">"create API key"</h3>
            <div class="form-field">
                <label for=KEY_NAME_ID>"key name"</label>
                <input
                    id=KEY_NAME_ID
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || form.with(|f| f.name().to_string())
                    aria-describedby=described
                    aria-invalid=move || error.get().map(|_| "true")
                    on:input=move |ev| form.update(|f| f.edit(event_target_value(&ev)))
                />
                <p class="form-field__help" id=help_id>"what the key is for, e.g. the portal whose backend uses it"</p>
                {field_error(error_id, error)}
            </div>
            <button type="button" class="button button--primary" on:click=move |_| actions.create_key()>
                {move || if form.with(KeyForm::creating) { "creating…" } else { "create API key" }}
            </button>
            {problem_alert(problem)}
        </div>
        <div class="form-field new-key" hidden=move || !shown()>
            <label for=SECRET_ID>"new API key: " {shown_name}</label>
            <CopyField
                id=SECRET_ID
                value=secret
                button="copy"
                help="Copy this key now and keep it somewhere safe: it will not be shown again."
            />
        </div>
    }
    .into_any()
}
