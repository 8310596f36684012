use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::ApiClient;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::connector_directory::ConnectorDirectory;
use crate::filter::{filter_from_query, is_new_entry, query_string};
use crate::list_requests::ListRequests;
use crate::pages::use_title;
use crate::paths;

/// `/connectors`: `manage connectors`, the company's installed connectors
/// and their instances. The search and filters live in the address
/// (`?search=…&status=…&connector=…`), so a reload or `back` shows the same
/// list; the page's [`ListRequests`] is in context for whatever needs the
/// list fetched again.
#[component]
pub fn ConnectorsPage() -> impl IntoView {
    use_title(|| "manage connectors".to_string());
    let api = expect_context::<ApiClient>();
    // What the page that led here left to say (an instance was deleted).
    let status = crate::deletion::take_status().map(|s| view! { <p class="notice status-message" role="status">{s}</p> });

    let query = use_query_map();
    let from_address = move || query.with(|q| filter_from_query(q.get("search"), q.get("status"), q.get("connector")));
    let filter = RwSignal::new(from_address());
    let requests = ListRequests::new(api, filter);
    provide_context(requests);
    // Rows follow live events themselves; when some may have been missed, the list loads afresh.
    crate::live::on_refetch(move || requests.reload());
    // An instance added or removed elsewhere changes the cards' counts and pages.
    crate::live::on_instance_event(move |event| {
        if crate::live::list::reloads_list(&event) {
            requests.reload();
        }
    });

    // The address changed (back, forward): show what it says.
    Effect::new(move |_| {
        let wanted = from_address();
        if filter.with_untracked(|f| *f != wanted) {
            filter.set(wanted);
        }
    });
    // The filter changed here: the address says so too. Typing replaces the
    // entry; another status or connector is a new one.
    let navigate = use_navigate();
    Effect::new(move |_| {
        let now = filter.get();
        let shown = query.with_untracked(|q| filter_from_query(q.get("search"), q.get("status"), q.get("connector")));
        if now != shown {
            let options = NavigateOptions { replace: !is_new_entry(&shown, &now), scroll: false, ..Default::default() };
            navigate(&format!("{}{}", paths::HOME, query_string(&now.to_pairs())), options);
        }
    });

    view! {
        <Breadcrumb trail=vec![Crumb::text("process flows"), Crumb::text("connectors & instances")] />
        <header class="page-header">
            <h1>"manage connectors"</h1>
            <p class="page-header__subtitle">"your installed connectors and their instances"</p>
        </header>
        {status}
        <ConnectorDirectory requests />
    }
}
