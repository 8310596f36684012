use conduit_types::draft::{
    variable_field, DATE_FORMATS, FIELD_CONNECTION_POOL, FIELD_DATE_FORMAT, FIELD_NAME,
    FIELD_RATE_LIMIT, FIELD_TIME_ZONE,
};
use conduit_types::time_zones::TIME_ZONES;
use conduit_types::RateLimitUnit;
use leptos::prelude::*;

use crate::components::form_field::{
    aria, aria_with_id, field_error, field_shell, help_id, select_input, text_input, Aria, Form,
};
use crate::choices::keeping_current;
use crate::editor::{field_id, Editor};

/// The `instance details` tab: the instance's general settings and the
/// connector's own variables, edited in the page's draft. Fields start from
/// the draft when the tab is shown and write every change back to it.
#[component]
pub fn DetailsPanel(form: Form) -> impl IntoView {
    let editor = form.editor;
    let (details, variables, pools, rate_text, unit) = editor.with_untracked(|e| {
        (
            e.draft().details.clone(),
            e.saved().connector.definition.variables.clone(),
            e.saved().connection_pools.clone(),
            e.rate_limit_text().to_string(),
            e.rate_limit_unit(),
        )
    });
    let name = field_shell(
        form,
        FIELD_NAME,
        "name".into(),
        Some("what your users will see when they choose an instance".into()),
        text_input(
            aria(form, FIELD_NAME, true),
            "text",
            details.name,
            Callback::new(move |v| editor.update(|e| e.set_name(v))),
        ),
    );

    let zones = TIME_ZONES.iter().map(|z| (z.to_string(), z.to_string())).collect();
    let time_zone = select_field(
        form,
        FIELD_TIME_ZONE,
        "time zone",
        Some("used to convert times in date filters"),
        keeping_current(zones, 0, &details.time_zone),
        details.time_zone,
        Editor::set_time_zone,
    );

    let formats = DATE_FORMATS
        .iter()
        .map(|(format, example)| (format.to_string(), format!("{example} ({format})")))
        .collect();
    let date_format = select_field(
        form,
        FIELD_DATE_FORMAT,
        "date format",
        None,
        keeping_current(formats, 0, &details.date_format),
        details.date_format,
        Editor::set_date_format,
    );

    let rate_limit = rate_limit_fields(form, rate_text, unit);

    let current_pool = details.connection_pool.unwrap_or_default();
    let pool_options = std::iter::once((String::new(), "none".to_string()))
        .chain(pools.into_iter().map(|p| (p.clone(), p)))
        .collect();
    let connection_pool = select_field(
        form,
        FIELD_CONNECTION_POOL,
        "connection pool",
        Some("caps how many requests run at once, shared with other instances in the pool"),
        keeping_current(pool_options, 1, &current_pool),
        current_pool,
        Editor::set_connection_pool,
    );

    let variable_fields = variables
        .into_iter()
        .map(|def| {
            let key = variable_field(&def.key);
            let value = details.variables.get(&def.key).cloned().unwrap_or_default();
            let variable = def.key.clone();
            let kind = if def.secret { "password" } else { "text" };
            let control = text_input(
                aria(form, &key, def.help.is_some()),
                kind,
                value,
                Callback::new(move |v| editor.update(|e| e.set_variable(&variable, v))),
            );
            field_shell(form, &key, def.label, def.help, control)
        })
        .collect_view();

    view! {
        <h2 class="visually-hidden">"instance details"</h2>
        <div class="form">
            {name}
            {time_zone}
            {date_format}
            {rate_limit}
            {connection_pool}
            {variable_fields}
        </div>
    }
}

/// A drop-down field for `field` (a zone or format saved before the lists
/// changed is among `options` too, see [`keeping_current`]); a choice goes
/// to the draft through `set`.
fn select_field(
    form: Form,
    field: &'static str,
    label: &str,
    help: Option<&str>,
    options: Vec<(String, String)>,
    selected: String,
    set: fn(&mut Editor, String),
) -> AnyView {
    let editor = form.editor;
    let control = select_input(
        aria(form, field, help.is_some()),
        options,
        selected,
        Callback::new(move |v| editor.update(|e| set(e, v))),
    );
    field_shell(form, field, label.into(), help.map(Into::into), control)
}

/// `rate limit` (a number box, empty for none) and `rate limit unit` side by
/// side, with one help line and one error under both.
fn rate_limit_fields(form: Form, text: String, unit: RateLimitUnit) -> AnyView {
    let editor = form.editor;
    let amount = aria(form, FIELD_RATE_LIMIT, true);
    let unit_id = format!("{}-unit", field_id(FIELD_RATE_LIMIT));
    let unit_aria = aria_with_id(form, FIELD_RATE_LIMIT, unit_id.clone(), true);
    let units = RateLimitUnit::ALL
        .iter()
        .map(|u| (u.label().to_string(), format!("requests per {}", u.label())))
        .collect();
    let on_unit = Callback::new(move |value: String| {
        if let Some(unit) = RateLimitUnit::ALL.into_iter().find(|u| u.label() == value) {
            editor.update(|e| e.set_rate_limit_unit(unit));
        }
    });
    // A text box, not a number box: a number box drops what is not a number
    // (reporting it as empty), so letters would silently mean "no limit".
    let on_amount = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        editor.update(|e| e.set_rate_limit_text(text));
    };
    let Aria {
        id,
        described_by,
        invalid,
    } = amount;
    view! {
        <div class="form-field">
            <div class="form-row">
                <div class="form-field">
                    <label for=id.clone()>"rate limit"</label>
                    <input
                        id=id
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        prop:value=text
                        aria-describedby=described_by
                        aria-invalid=invalid
                        on:input=on_amount
                    />
                </div>
                <div class="form-field">
                    <label for=unit_id>"rate limit unit"</label>
                    {select_input(unit_aria, units, unit.label().to_string(), on_unit)}
                </div>
            </div>
            <p class="form-field__help" id=help_id(FIELD_RATE_LIMIT)>
                "requests over the limit are queued; leave the number empty for no limit"
            </p>
            {field_error(form, FIELD_RATE_LIMIT)}
        </div>
    }
    .into_any()
}
