use leptos::prelude::*;

use crate::api::ApiClient;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::connector_directory::ConnectorDirectory;
use crate::components::states::{ErrorState, LoadingState};
use crate::pages::use_title;

/// `/connectors`: `manage connectors`, the company's installed connectors
/// and their instances.
#[component]
pub fn ConnectorsPage() -> impl IntoView {
    use_title(|| "manage connectors".to_string());
    let api = expect_context::<ApiClient>();
    // What the page that led here left to say (an instance was deleted).
    let status = crate::deletion::take_status().map(|s| view! { <p class="notice status-message" role="status">{s}</p> });
    let connectors = LocalResource::new(move || async move { api.connectors().await });
    let retry = Callback::new(move |()| connectors.refetch());
    // Rows follow live events themselves; when some may have been missed, the list loads afresh.
    crate::live::on_refetch(move || connectors.refetch());

    let content = move || {
        Suspend::new(async move {
            match connectors.await {
                Ok(list) if list.connectors.is_empty() => view! {
                    <div class="state">
                        <p class="state__title">"no connectors installed yet"</p>
                        <p class="muted">
                            "Connectors your company installs appear here, each with its instances."
                        </p>
                    </div>
                }
                .into_any(),
                Ok(list) => view! { <ConnectorDirectory connectors=list.connectors /> }.into_any(),
                Err(error) => view! {
                    <ErrorState title="the connectors could not be loaded" error on_retry=retry />
                }
                .into_any(),
            }
        })
    };

    view! {
        <Breadcrumb trail=vec![Crumb::text("process flows"), Crumb::text("connectors & instances")] />
        <header class="page-header">
            <h1>"manage connectors"</h1>
            <p class="page-header__subtitle">"your installed connectors and their instances"</p>
        </header>
        {status}
        <Suspense fallback=|| view! { <LoadingState text="loading connectors…" lines=4 /> }>
            {content}
        </Suspense>
    }
}
