//! The `allowed origins` section: the sites allowed to embed instance
//! settings, as an editable list (add, remove, `save origins`), each origin
//! checked as typed and its error shown at its field.

use conduit_types::developer::MAX_ORIGINS;
use leptos::prelude::*;

use crate::components::messages::{field_error, problem_alert};
use crate::developer::origins::{input_id, ADD_ORIGIN_ID};
use crate::developer::OriginsDraft;
use crate::developer_actions::DeveloperActions;

#[component]
pub fn EmbedOrigins(actions: DeveloperActions) -> impl IntoView {
    let origins = actions.origins;
    // Rows are drawn again only when one comes or goes (not as typed), and
    // focus then goes where the actions say.
    let rows = Memo::new(move |_| origins.with(|d| d.rows().iter().map(|r| r.id).collect::<Vec<_>>()));
    let empty = move || origins.with(|d| d.rows().is_empty());
    let full = move || !origins.with(OriginsDraft::can_add);
    let status = move || {
        origins.with(|d| {
            if d.saving() {
                "saving…"
            } else if d.just_saved() {
                "origins saved"
            } else if d.dirty() {
                "unsaved changes"
            } else {
                ""
            }
        })
    };
    let problem = Signal::derive(move || origins.with(|d| d.problem().map(str::to_string)));
    view! {
        <section class="card developer-section" aria-labelledby="origins-heading">
            <h2 id="origins-heading">"allowed origins"</h2>
            <p class="muted" id="origins-intro">
                "An origin is where a portal that embeds instance settings is served from: its scheme, host and port, with no path, e.g. https://portal.example.com."
            </p>
            <p class="muted" hidden=move || !empty()>"no origins yet: no portal can embed instance settings"</p>
            <ul class="origin-list" aria-labelledby="origins-heading">
                {move || rows.get().into_iter().map(|row| origin_field(actions, row)).collect_view()}
            </ul>
            <div class="origin-actions">
                <button
                    type="button"
                    id=ADD_ORIGIN_ID
                    class="button button--secondary"
                    aria-describedby="origins-limit"
                    aria-disabled=move || full().then_some("true")
                    on:click=move |_| actions.add_origin()
                >
                    "add origin"
                </button>
                <button type="button" class="button button--primary" on:click=move |_| actions.save_origins()>
                    "save origins"
                </button>
                <span class="muted" role="status">{status}</span>
            </div>
            <p class="form-field__help" id="origins-limit">{format!("at most {MAX_ORIGINS} origins")}</p>
            {problem_alert(problem)}
        </section>
    }
    .into_any()
}

/// One origin's labelled field, its error and `remove` (`add origin` does
/// nothing once the list is full).
fn origin_field(actions: DeveloperActions, row: u32) -> AnyView {
    let origins = actions.origins;
    let number = origins.with_untracked(|d| d.rows().iter().position(|r| r.id == row).unwrap_or(0) + 1);
    let error = Signal::derive(move || origins.with(|d| d.error(row)));
    let typed = origins.with_untracked(|d| d.rows().iter().find(|r| r.id == row).map(|r| r.text.clone()));
    let id = input_id(row);
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    view! {
        <li class="form-field origin">
            <label for=id.clone()>{format!("origin {number}")}</label>
            <div class="origin__control">
                <input
                    id=id
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="https://portal.example.com"
                    prop:value=typed.unwrap_or_default()
                    aria-describedby=described
                    aria-invalid=move || error.get().map(|_| "true")
                    on:input=move |ev| actions.edit_origin(row, event_target_value(&ev))
                />
                <button type="button" class="button button--secondary button--small" on:click=move |_| actions.remove_origin(row)>
                    "remove" <span class="visually-hidden">{format!(" origin {number}")}</span>
                </button>
            </div>
            {field_error(error_id, error)}
        </li>
    }
    .into_any()
}
