use conduit_types::ConnectorSummary;
use leptos::prelude::*;

use crate::components::connector_card::ConnectorCard;
use crate::components::icons::SearchIcon;
use crate::filter::filter_connectors;

/// The installed connectors with a search box that narrows them (and their
/// instances) as the user types.
#[component]
pub fn ConnectorDirectory(connectors: Vec<ConnectorSummary>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let total = connectors.len();
    let shown = Memo::new(move |_| query.with(|q| filter_connectors(&connectors, q)));

    let summary = move || {
        let count = shown.with(Vec::len);
        if query.with(|q| q.trim().is_empty()) {
            String::new()
        } else if count == 1 {
            "1 connector matches".to_string()
        } else {
            format!("{count} of {total} connectors match")
        }
    };

    let list = move || {
        let found = shown.get();
        if found.is_empty() {
            view! {
                <div class="state">
                    <p class="state__title">
                        "nothing matches “" {move || query.get().trim().to_string()} "”"
                    </p>
                    <p class="muted">"try another connector or instance name."</p>
                    <button type="button" class="button button--secondary" on:click=move |_| query.set(String::new())>
                        "clear search"
                    </button>
                </div>
            }
            .into_any()
        } else {
            found
                .into_iter()
                .map(|connector| view! { <ConnectorCard connector /> })
                .collect_view()
                .into_any()
        }
    };

    view! {
        <div class="directory">
            <div class="search">
                <label class="visually-hidden" for="connector-search">
                    "search connectors and instances"
                </label>
                <SearchIcon />
                <input
                    id="connector-search"
                    class="search__input"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="search connectors and instances"
                    bind:value=query
                />
            </div>
            <p class="visually-hidden" role="status">{summary}</p>
            <div class="directory__list">{list}</div>
        </div>
    }
}
