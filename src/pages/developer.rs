//! `/developer`: `developer settings`, the company's API keys and the
//! origins allowed to embed instance settings.

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::components::api_keys::ApiKeys;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::embed_origins::EmbedOrigins;
use crate::components::states::{ErrorState, LoadingState};
use crate::developer_actions::DeveloperActions;
use crate::pages::use_title;

#[component]
pub fn DeveloperPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let settings = LocalResource::new(move || async move { api.developer().await });
    use_title(|| "developer settings".to_string());

    // The views are built once per answer, so what is typed survives
    // every change of state; `try again` builds them afresh.
    let content = move || match settings.get() {
        None => view! { <LoadingState text="loading developer settings…" lines=4 /> }.into_any(),
        Some(Err(error)) => view! {
            <ErrorState title="the developer settings could not be loaded" error on_retry=Callback::new(move |()| settings.refetch()) />
        }
        .into_any(),
        Some(Ok(settings)) => {
            let actions = DeveloperActions::new(api, settings);
            view! {
                <div class="developer">
                    <ApiKeys actions />
                    <EmbedOrigins actions />
                </div>
            }
            .into_any()
        }
    };

    let trail = vec![Crumb::text("company"), Crumb::text("developer settings")];
    view! {
        <Breadcrumb trail />
        <header class="page-header">
            <h1>"developer settings"</h1>
            <p class="page-header__subtitle">
                "API keys for your portal's backend, and the sites allowed to embed instance settings"
            </p>
        </header>
        {content}
    }
}
