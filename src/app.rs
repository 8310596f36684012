use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path, NavigateOptions,
};

use crate::api::ApiClient;
use crate::components::signed_in_area::SignedInArea;
use crate::embed::page::EmbedPage;
use crate::pages::{
    connectors::ConnectorsPage,
    developer::DeveloperPage,
    instance_settings::{InstanceSettingsIndex, InstanceSettingsPage},
    login::LoginPage,
    new_instance::{DuplicateInstancePage, NewInstancePage},
    not_found::NotFoundPage,
    process_flow::ProcessFlowPage,
};
use crate::paths;
use crate::session::Session;

/// The whole app: the API client and the session in context, and the routes.
#[component]
pub fn App() -> impl IntoView {
    let api = ApiClient::new();
    provide_context(api);
    provide_context(Session::new(api));
    // Before the router, so the guard hears the back button first.
    crate::leave_guard::install();

    view! {
        <Router base=crate::base_path::base()>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/embed/:company/instances/:id/settings/:tab") view=EmbedPage />
                <ParentRoute path=path!("") view=SignedInArea>
                    <Route path=path!("/") view=ToHome />
                    <Route path=path!("/connectors") view=ConnectorsPage />
                    <Route path=path!("/developer") view=DeveloperPage />
                    <Route path=path!("/process-flows/:id") view=ProcessFlowPage />
                    <Route path=path!("/connectors/:connector/instances/new") view=NewInstancePage />
                    <Route path=path!("/instances/:id/duplicate") view=DuplicateInstancePage />
                    <Route path=path!("/instances/:id/settings") view=InstanceSettingsIndex />
                    <Route path=path!("/instances/:id/settings/:tab") view=InstanceSettingsPage />
                    <Route path=path!("/*any") view=NotFoundPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
fn ToHome() -> impl IntoView {
    let options = NavigateOptions {
        replace: true,
        ..Default::default()
    };
    view! { <Redirect path=paths::HOME options /> }
}
