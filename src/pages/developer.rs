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
    use_title(|| "developer settings".to_string());
    let api = expect_context::<ApiClient>();
    let settings = LocalResource::new(move || async move { api.developer().await });
    let retry = Callback::new(move |()| settings.refetch());

    let content = move || {
        Suspend::new(async move {
            match settings.await {
                Ok(settings) => {
                    let actions = DeveloperActions::new(api, settings);
                    view! {
                        <div class="developer">
                            <ApiKeys actions />
                            <EmbedOrigins actions />
                        </div>
                    }
                    .into_any()
                }
                Err(error) => view! {
                    <ErrorState title="the developer settings could not be loaded" error on_retry=retry />
                }
                .into_any(),
            }
        })
    };

    view! {
        <Breadcrumb trail=vec![Crumb::text("company"), Crumb::text("developer settings")] />
        <header class="page-header">
            <h1>"developer settings"</h1>
            <p class="page-header__subtitle">"API keys for your portal's backend, and the sites allowed to embed instance settings"</p>
        </header>
        <Suspense fallback=|| view! { <LoadingState text="loading developer settings…" lines=4 /> }>
            {content}
        </Suspense>
    }
}
