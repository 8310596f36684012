//! The `API keys` section: the company's keys (name, prefix, who created
//! it, when, when last used), each with `revoke`, which asks first; and the
//! `create API key` form.

use conduit_types::developer::ApiKeySummary;
use conduit_types::Id;
use leptos::tachys::html::node_ref::NodeRefContainer;
use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

use crate::components::api_key_form::ApiKeyForm;
use crate::components::confirm_dialog::{self, ConfirmDialog};
use crate::components::messages::problem_alert;
use crate::developer::key_list::{last_used, revoke_id, KEYS_HEADING_ID};
use crate::developer_actions::DeveloperActions;
use crate::text;

#[component]
pub fn ApiKeys(actions: DeveloperActions) -> impl IntoView {
    let keys = actions.keys;
    let dialog = NodeRef::<html::Dialog>::new();
    // The `revoke` button that asked: focus goes back to it however the
    // question closes.
    let return_focus = NodeRef::<html::Button>::new();
    let asking = RwSignal::new(None::<(Id, String)>);
    let ask = Callback::new(move |(ev, id, name): (ev::MouseEvent, Id, String)| {
        if keys.with_untracked(|k| k.revoking().is_some()) {
            return;
        }
        if let Some(button) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            return_focus.load(&button);
        }
        asking.set(Some((id, name)));
        confirm_dialog::open(dialog, return_focus);
    });
    let on_confirm = Callback::new(move |()| {
        if let Some((id, _)) = asking.get_untracked() {
            actions.revoke(id);
        }
    });
    let empty = move || keys.with(|k| k.keys().is_empty());
    let problem = Signal::derive(move || keys.with(|k| k.problem().map(str::to_string)));
    // Rows are drawn again only when a key comes or goes (not while one is
    // being revoked), and focus then goes where the actions say.
    let listed = Memo::new(move |_| keys.with(|k| k.keys().to_vec()));
    view! {
        <section class="card developer-section" aria-labelledby=KEYS_HEADING_ID>
            <h2 id=KEYS_HEADING_ID tabindex="-1">"API keys"</h2>
            <p class="muted">
                "A portal's backend starts embed sessions with an API key. A key's secret is shown once, when it is created."
            </p>
            <p class="muted" hidden=move || !empty()>"no API keys yet"</p>
            <table class="key-table" aria-labelledby=KEYS_HEADING_ID hidden=empty>
                <thead>
                    <tr>
                        <th scope="col">"name"</th>
                        <th scope="col">"prefix"</th>
                        <th scope="col">"created by"</th>
                        <th scope="col">"created"</th>
                        <th scope="col">"last used"</th>
                        <th scope="col"><span class="visually-hidden">"revoke"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {move || listed.get().into_iter().map(|key| key_row(key, actions, ask)).collect_view()}
                </tbody>
            </table>
            {problem_alert(problem)}
            <ApiKeyForm actions />
            <ConfirmDialog
                dialog
                return_focus
                id="revoke-key"
                title="revoke this API key?"
                text="Portals whose backend uses it can no longer start embed sessions with it. This cannot be undone."
                confirm="revoke API key"
                cancel="keep the key"
                on_confirm
            >
                <p class="dialog__subject">{move || asking.get().map(|(_, name)| name)}</p>
            </ConfirmDialog>
        </section>
    }
    .into_any()
}

/// One key's row, with its `revoke` button.
fn key_row(key: ApiKeySummary, actions: DeveloperActions, ask: Callback<(ev::MouseEvent, Id, String)>) -> AnyView {
    let id = key.id;
    let name = key.name.clone();
    let revoking = move || actions.keys.with(|k| k.revoking() == Some(id));
    view! {
        <tr>
            <td data-label="name">{key.name.clone()}</td>
            <td data-label="prefix"><code>{key.prefix.clone()}</code></td>
            <td data-label="created by">{key.created_by.clone()}</td>
            <td data-label="created">{text::date(key.created_at)}</td>
            <td data-label="last used">{last_used(&key)}</td>
            <td>
                <button
                    type="button"
                    id=revoke_id(id)
                    class="button button--secondary button--small"
                    on:click=move |ev| ask.run((ev, id, name.clone()))
                >
                    {move || if revoking() { "revoking…" } else { "revoke" }}
                    <span class="visually-hidden">" " {key.name.clone()}</span>
                </button>
            </td>
        </tr>
    }
    .into_any()
}
