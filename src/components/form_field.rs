//! The pieces every editable field is made of: a visible label, the control,
//! help under it and the error under that, wired together with
//! `aria-describedby` and `aria-invalid`.
//!
//! Plain functions taking type-erased views and callbacks, so the many
//! fields of the settings page share one copy of this code.

use conduit_types::FieldError;
use leptos::prelude::*;

use crate::editor::{error_id, field_id, Editor};

/// The editor and the errors it shows, handed to every field.
#[derive(Clone, Copy)]
pub struct Form {
    pub editor: RwSignal<Editor>,
    /// The errors shown now, in page order.
    pub errors: Memo<Vec<FieldError>>,
}

impl Form {
    pub fn new(editor: RwSignal<Editor>) -> Form {
        Form {
            editor,
            errors: Memo::new(move |_| editor.with(Editor::visible_errors)),
        }
    }

    /// The error shown for `field`, if any (tracked).
    pub fn error(self, field: &str) -> Option<String> {
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }
}

/// How a control refers to its help and error.
pub struct Aria {
    /// The control's element id.
    pub id: String,
    pub described_by: Signal<Option<String>>,
    pub invalid: Signal<Option<&'static str>>,
}

/// The element id of a field's help text.
pub fn help_id(field: &str) -> String {
    field_id(field) + "-help"
}

/// The ARIA wiring of the control for error key `field`; `help` says whether
/// the field shows help text (which then describes the control too).
pub fn aria(form: Form, field: &str, help: bool) -> Aria {
    aria_with_id(form, field, field_id(field), help)
}

/// [`aria`] for a control whose element id is not the field's own.
pub fn aria_with_id(form: Form, field: &str, id: String, help: bool) -> Aria {
    let help = help.then(|| help_id(field));
    let error = error_id(field);
    let key = field.to_string();
    let invalid_key = key.clone();
    Aria {
        id,
        described_by: Signal::derive(move || {
            let shows_error = form.error(&key).is_some();
            let ids: Vec<&str> = help
                .iter()
                .map(String::as_str)
                .chain(shows_error.then_some(error.as_str()))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }),
        invalid: Signal::derive(move || form.error(&invalid_key).map(|_| "true")),
    }
}

/// The error under a field, with the id its control refers to.
pub fn field_error(form: Form, field: &str) -> AnyView {
    let key = field.to_string();
    let id = error_id(field);
    (move || {
        form.error(&key)
            .map(|message| view! { <p class="form-field__error" id=id.clone()>{message}</p> })
    })
    .into_any()
}

/// One field: label above, the control, help and error under it.
pub fn field_shell(
    form: Form,
    field: &str,
    label: String,
    help: Option<String>,
    control: AnyView,
) -> AnyView {
    let help = help.map(|help| {
        view! { <p class="form-field__help" id=help_id(field)>{help}</p> }
    });
    view! {
        <div class="form-field">
            <label for=field_id(field)>{label}</label>
            {control}
            {help}
            {field_error(form, field)}
        </div>
    }
    .into_any()
}

/// A text box (`kind` is the input type: `text`, `password`, …) starting
/// at `value`, reporting each change.
pub fn text_input(
    aria: Aria,
    kind: &'static str,
    value: String,
    on_input: Callback<String>,
) -> AnyView {
    view! {
        <input
            id=aria.id
            type=kind
            autocomplete="off"
            spellcheck="false"
            prop:value=value
            aria-describedby=aria.described_by
            aria-invalid=aria.invalid
            on:input=move |ev| on_input.run(event_target_value(&ev))
        />
    }
    .into_any()
}

/// A drop-down of `(value, label)` options with `selected` chosen.
pub fn select_input(
    aria: Aria,
    options: Vec<(String, String)>,
    selected: String,
    on_change: Callback<String>,
) -> AnyView {
    let options = options
        .into_iter()
        .map(|(value, label)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{label}</option> }
        })
        .collect_view();
    view! {
        <select
            id=aria.id
            aria-describedby=aria.described_by
            aria-invalid=aria.invalid
            on:change=move |ev| on_change.run(event_target_value(&ev))
        >
            {options}
        </select>
    }
    .into_any()
}

/// Puts focus on the control of error key `field` once the page has drawn
/// it (after a tab switch, for instance): the control itself, or the group
/// standing for it.
pub fn focus_field_soon(field: &str) {
    let id = field_id(field);
    request_animation_frame(move || {
        let document = document();
        let target = document
            .get_element_by_id(&id)
            .or_else(|| document.get_element_by_id(&format!("{id}-choice")));
        if let Some(element) =
            target.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            _ = element.focus();
        }
    });
}
