use conduit_types::{InstanceStatus, ListFilter};
use leptos::prelude::*;

use crate::components::connector_card::ConnectorCard;
use crate::components::icons::SearchIcon;
use crate::components::states::{ErrorState, LoadingState};
use crate::filter;
use crate::list_requests::ListRequests;

/// The installed connectors with a search box and status and connector
/// filters; the server searches and pages, `requests` asks it (see
/// [`ListRequests`]). Each keystroke asks at once; an older answer never
/// replaces a newer one.
#[component]
pub fn ConnectorDirectory(requests: ListRequests) -> impl IntoView {
    requests.follow();
    let filter = requests.filter;
    let cards = requests.cards;
    let on_more = Callback::new(move |id| requests.load_more(id));
    let clear = move |_| filter.set(ListFilter::default());

    // Focus goes where the last change asked, once the list has drawn it.
    Effect::new(move |_| {
        if let Some(id) = requests.focus.get() {
            requests.focus.set(None);
            request_animation_frame(move || {
                if let Some(element) = document().get_element_by_id(&id) {
                    crate::page_focus::focus_element(&element);
                }
            });
        }
    });

    let summary = move || match cards.get() {
        Some(Ok(found)) => filter.with(|f| filter::summary(&found, f)),
        _ => String::new(),
    };

    let list = move || match cards.get() {
        None => view! { <LoadingState text="loading connectors…" lines=4 /> }.into_any(),
        Some(Err(error)) => view! {
            <ErrorState title="the connectors could not be loaded" error on_retry=Callback::new(move |()| requests.reload()) />
        }
        .into_any(),
        Some(Ok(found)) if found.is_empty() && !filter.with_untracked(ListFilter::narrows) => view! {
            <div class="state">
                <p class="state__title">"no connectors installed yet"</p>
                <p class="muted">"Connectors your company installs appear here, each with its instances."</p>
            </div>
        }
        .into_any(),
        Some(Ok(found)) if found.is_empty() => {
            let search = filter.with_untracked(|f| f.search.trim().to_string());
            let only_search = filter.with_untracked(|f| f.status.is_none() && f.connector.is_none());
            let title = if search.is_empty() { "nothing matches these filters".to_string() } else { format!("nothing matches “{search}”") };
            view! {
                <div class="state">
                    <p class="state__title">{title}</p>
                    <p class="muted">"try another connector or instance name, or another status."</p>
                    <button type="button" class="button button--secondary" on:click=clear>
                        {if only_search { "clear search" } else { "clear search and filters" }}
                    </button>
                </div>
            }
            .into_any()
        }
        Some(Ok(found)) => found
            .into_iter()
            .map(|connector| {
                let id = connector.id;
                let loading_more = Signal::derive(move || requests.loading_more.get() == Some(id));
                view! { <ConnectorCard connector on_more loading_more /> }
            })
            .collect_view()
            .into_any(),
    };

    let statuses = InstanceStatus::ALL
        .into_iter()
        .map(|status| {
            let chosen = move || filter.with(|f| f.status == Some(status));
            view! { <option value=status.key() prop:selected=chosen>{status.label()}</option> }
        })
        .collect_view();
    let connectors = move || {
        requests
            .choices
            .get()
            .into_iter()
            .map(|c| {
                let slug = c.slug.clone();
                let chosen = move || filter.with(|f| f.connector.as_deref() == Some(slug.as_str()));
                view! { <option value=c.slug prop:selected=chosen>{c.name}</option> }
            })
            .collect_view()
    };

    view! {
        <div class="directory">
            <div class="directory__filters">
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
                        prop:value=move || filter.with(|f| f.search.clone())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            filter.update(|f| f.search = text);
                        }
                    />
                </div>
                <div class="directory__filter">
                    <label for="status-filter">"status"</label>
                    <select
                        id="status-filter"
                        on:change=move |ev| {
                            let status = InstanceStatus::from_key(&event_target_value(&ev));
                            filter.update(|f| f.status = status);
                        }
                    >
                        <option value="" prop:selected=move || filter.with(|f| f.status.is_none())>"any status"</option>
                        {statuses}
                    </select>
                </div>
                <div class="directory__filter">
                    <label for="connector-filter">"connector"</label>
                    <select
                        id="connector-filter"
                        on:change=move |ev| {
                            let slug = Some(event_target_value(&ev)).filter(|s| !s.is_empty());
                            filter.update(|f| f.connector = slug);
                        }
                    >
                        <option value="" prop:selected=move || filter.with(|f| f.connector.is_none())>"all connectors"</option>
                        {connectors}
                    </select>
                </div>
            </div>
            <p class="visually-hidden" role="status">{summary}</p>
            {move || requests.more_error.get().map(|e| view! { <p class="notice notice--warning" role="alert">{e}</p> })}
            <div class="directory__list" aria-busy=move || requests.loading.get().to_string()>{list}</div>
        </div>
    }
}
