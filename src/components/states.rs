//! The designed states a page shows instead of its content: loading,
//! failed and not found.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::ApiError;
use crate::paths;

/// Something is on its way. The words are announced politely; the shimmer
/// lines only hint at the shape of what is coming.
#[component]
pub fn LoadingState(
    #[prop(into)] text: String,
    #[prop(default = 3)] lines: usize,
) -> impl IntoView {
    view! {
        <div class="loading" aria-busy="true">
            <p class="loading__text" role="status">
                <span class="spinner" aria-hidden="true"></span>
                {text}
            </p>
            <div class="skeleton" aria-hidden="true">
                {(0..lines).map(|_| view! { <div class="skeleton__line"></div> }).collect_view()}
            </div>
        </div>
    }
}

/// A request failed: the reason as a sentence, and a way forward. A lapsed
/// session leads to the sign-in page (and back here afterwards); anything
/// else can be tried again.
#[component]
pub fn ErrorState(
    #[prop(into)] title: String,
    error: ApiError,
    on_retry: Callback<()>,
) -> impl IntoView {
    // An embedded page has no sign-in: its session is renewed through its host.
    let action = if error.is_unauthenticated() && crate::settings_host::SettingsHost::current().is_none() {
        let location = use_location();
        let here = paths::full_path(
            &location.pathname.get_untracked(),
            &location.search.get_untracked(),
            "",
        );
        view! { <a class="button button--primary" href=crate::base_path::url(&paths::login_href(&here))>"sign in again"</a> }
            .into_any()
    } else {
        view! {
            <button type="button" class="button button--primary" on:click=move |_| on_retry.run(())>
                "try again"
            </button>
        }
        .into_any()
    };
    view! {
        <div class="state state--error" role="alert">
            <p class="state__title">{title}</p>
            <p>{error.to_string()}</p>
            {action}
        </div>
    }
}

/// What the user asked for is not there: the page's title says so, and the
/// way back to the list is offered.
#[component]
pub fn NotFoundState(#[prop(into)] title: String, #[prop(into)] message: String) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
        </header>
        <div class="state">
            <p>{message}</p>
            <a class="button button--secondary" href=crate::base_path::url(paths::HOME)>"manage connectors"</a>
        </div>
    }
}
