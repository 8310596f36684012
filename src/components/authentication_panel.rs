use conduit_types::draft::{auth_field, FIELD_AUTH_METHOD};
use conduit_types::FieldDef;
use leptos::prelude::*;

use crate::components::callback_address::CallbackAddress;
use crate::components::form_field::{
    aria, field_error, field_shell, help_id, select_input, text_input, Form,
};
use crate::components::secret_field::SecretField;
use crate::editor::field_id;

/// The `authentication` tab: the method, and its fields edited in the
/// page's draft. Switching the method starts its fields over; secrets offer
/// keep, replace or clear and never show a stored value (the browser never
/// has one).
#[component]
pub fn AuthenticationPanel(form: Form) -> impl IntoView {
    let editor = form.editor;
    let methods = editor.with_untracked(|e| e.saved().connector.definition.auth_methods.clone());
    let method = Memo::new(move |_| editor.with(|e| e.draft().authentication.method.clone()));
    let current = method.get_untracked();

    let mut options: Vec<(String, String)> = methods
        .iter()
        .map(|m| (m.key.clone(), m.label.clone()))
        .collect();
    let known = methods.iter().any(|m| m.key == current);
    if !known {
        options.insert(0, (current.clone(), format!("unknown method “{current}”")));
    }
    let select = select_input(
        aria(form, FIELD_AUTH_METHOD, true),
        options,
        current,
        Callback::new(move |key: String| editor.update(|e| e.choose_method(&key))),
    );
    let kind = move || {
        editor.with(|e| match e.method() {
            Some(m) => format!("type: {}", m.kind.label()),
            None => "This connector does not offer this method: choose one it offers.".into(),
        })
    };

    let fields = move || {
        // Only a change of method draws the fields again.
        let _ = method.get();
        let defs: Vec<FieldDef> =
            editor.with_untracked(|e| e.method().map(|m| m.fields.clone()).unwrap_or_default());
        defs.into_iter()
            .map(|def| {
                if def.secret {
                    view! { <SecretField form def /> }.into_any()
                } else {
                    plain_field(form, def)
                }
            })
            .collect_view()
    };

    view! {
        <h2 class="visually-hidden">"authentication"</h2>
        <div class="form">
            <div class="form-field">
                <label for=field_id(FIELD_AUTH_METHOD)>"authentication method"</label>
                {select}
                <p class="form-field__help" id=help_id(FIELD_AUTH_METHOD)>{kind}</p>
                {field_error(form, FIELD_AUTH_METHOD)}
            </div>
            {fields}
            <CallbackAddress editor />
        </div>
    }
}

fn plain_field(form: Form, def: FieldDef) -> AnyView {
    let editor = form.editor;
    let field = auth_field(&def.key);
    let value = editor.with_untracked(|e| e.auth_value(&def.key).to_string());
    let key = def.key.clone();
    let on_change = Callback::new(move |v| editor.update(|e| e.set_plain(&key, v)));
    let aria = aria(form, &field, def.help.is_some());
    let control = if def.choices.is_empty() {
        text_input(aria, "text", value, on_change)
    } else {
        // A choice left empty is its first one; a value the list does not
        // hold stays shown (and its error says to choose) until changed.
        let selected = def.chosen(&value).to_string();
        let mut options: Vec<(String, String)> =
            def.choices.iter().map(|c| (c.value.clone(), c.label.clone())).collect();
        if !options.iter().any(|(v, _)| *v == selected) {
            options.insert(0, (selected.clone(), "not one of the choices".into()));
        }
        select_input(aria, options, selected, on_change)
    };
    field_shell(form, &field, def.label, def.help, control)
}
