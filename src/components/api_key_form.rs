//! The `create API key` form, and the key just created: its secret shown
//! this once in a read-only field with a copy button.

use leptos::prelude::*;

use crate::components::copy_field::CopyField;
use crate::developer::key_form::{KEY_NAME_ID, SECRET_ID};
use crate::developer::KeyForm;
use crate::developer_actions::DeveloperActions;

/// A labelled `key name` with its error, and `create API key`. Not a
/// `<form>`: Enter in the field does not create a key by accident.
#[component]
pub fn ApiKeyForm(actions: DeveloperActions) -> impl IntoView {
    let form = actions.form;
    let error = Memo::new(move |_| form.with(KeyForm::name_error));
    let help_id = format!("{KEY_NAME_ID}-help");
    let error_id = format!("{KEY_NAME_ID}-error");
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{help_id} {error_id}"),
            None => help_id.clone(),
        }
    };
    let problem = move || {
        form.with(|f| f.problem().map(str::to_string))
            .map(|problem| view! { <p class="alert__message">{problem}</p> })
    };
    let shown = move || {
        form.with(|f| f.shown().cloned()).map(|created| {
            view! {
                <div class="form-field new-key">
                    <label for=SECRET_ID>"new API key: " {created.key.name}</label>
                    <CopyField
                        id=SECRET_ID
                        value=created.secret
                        button="copy"
                        help="Copy this key now and keep it somewhere safe: it will not be shown again."
                    />
                </div>
            }
        })
    };
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
                {move || error.get().map(|message| view! { <p class="form-field__error" id=error_id.clone()>{message}</p> })}
            </div>
            <button type="button" class="button button--primary" on:click=move |_| actions.create_key()>
                {move || if form.with(KeyForm::creating) { "creating…" } else { "create API key" }}
            </button>
            <div class="alert" role="alert">{problem}</div>
        </div>
        {shown}
    }
}
