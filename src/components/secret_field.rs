use conduit_types::draft::auth_field;
use conduit_types::FieldDef;
use leptos::prelude::*;

use crate::components::form_field::{
    aria, aria_with_id, field_error, focus_field_soon, help_id, Aria, Form,
};
use crate::editor::{field_id, SecretChoice};

/// A secret authentication field: a group named by the field's label with
/// a line saying whether a value is stored. A stored value can be kept (the
/// default), replaced (a `new <label>` password box appears and takes focus)
/// or cleared. Without one there is just a password box.
#[component]
pub fn SecretField(form: Form, def: FieldDef) -> impl IntoView {
    let editor = form.editor;
    let FieldDef {
        key, label, help, ..
    } = def;
    let field = auth_field(&key);
    let id = field_id(&field);
    let stored = editor.with_untracked(|e| e.secret_stored(&key));
    let status = if stored {
        "a value is stored"
    } else {
        "no value stored"
    };
    let description = view! {
        <p class="form-field__help" id=help_id(&field)>
            <span class="secret-field__status">{status}</span>
            {help.map(|help| view! { " — " {help} })}
        </p>
    };

    if !stored {
        let control = password_box(form, &field, &key, label.clone());
        return view! {
            <fieldset class="secret-field">
                <legend class="visually-hidden">{label}</legend>
                {control}
                {description}
                {field_error(form, &field)}
            </fieldset>
        }
        .into_any();
    }

    let legend_id = format!("{id}-legend");
    let initial = editor.with_untracked(|e| e.secret_choice(&key));
    let Aria {
        id: group_id,
        described_by,
        invalid,
    } = aria_with_id(form, &field, format!("{id}-choice"), true);
    let radios = SecretChoice::ALL
        .into_iter()
        .map(|option| {
            let radio_id = format!("{id}-{}", option.slug());
            let key = key.clone();
            let field = field.clone();
            let on_change = move |_| {
                editor.update(|e| e.set_secret_choice(&key, option));
                if option == SecretChoice::Replace {
                    focus_field_soon(&field);
                }
            };
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=radio_id.clone()
                        name=id.clone()
                        value=option.slug()
                        checked=option == initial
                        on:change=on_change
                    />
                    <label for=radio_id>{option.label()}</label>
                </div>
            }
        })
        .collect_view();
    let new_value = {
        let field = field.clone();
        let label = format!("new {label}");
        let choice_key = key.clone();
        let replacing = Memo::new(move |_| {
            editor.with(|e| e.secret_choice(&choice_key) == SecretChoice::Replace)
        });
        move || {
            replacing
                .get()
                .then(|| password_box(form, &field, &key, label.clone()))
        }
    };

    view! {
        <fieldset class="secret-field">
            <legend id=legend_id.clone()>{label}</legend>
            {description}
            <div
                class="choices"
                role="radiogroup"
                id=group_id
                tabindex="-1"
                aria-labelledby=legend_id
                aria-describedby=described_by
                aria-invalid=invalid
            >
                {radios}
            </div>
            {new_value}
            {field_error(form, &field)}
        </fieldset>
    }
    .into_any()
}

/// A password box for a secret's new value, with a show/hide switch.
fn password_box(form: Form, field: &str, key: &str, label: String) -> AnyView {
    let editor = form.editor;
    let Aria {
        id,
        described_by,
        invalid,
    } = aria(form, field, true);
    let value = editor.with_untracked(|e| e.auth_value(key).to_string());
    let key = key.to_string();
    let shown = RwSignal::new(false);
    view! {
        <div class="form-field">
            <label for=id.clone()>{label.clone()}</label>
            <div class="password">
                <input
                    id=id.clone()
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete="new-password"
                    spellcheck="false"
                    prop:value=value
                    aria-describedby=described_by
                    aria-invalid=invalid
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        editor.update(|e| e.set_secret_value(&key, value));
                    }
                />
                <button
                    type="button"
                    class="button button--secondary button--small"
                    aria-controls=id
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    "show"
                    <span class="visually-hidden">" " {label}</span>
                </button>
            </div>
        </div>
    }
    .into_any()
}
