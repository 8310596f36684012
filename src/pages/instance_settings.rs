use conduit_types::{ErrorCode, Id, InstanceSettings};
use leptos::prelude::*;
use leptos_router::{
    components::Redirect,
    hooks::{use_navigate, use_params_map},
    NavigateOptions,
};

use crate::api::ApiClient;
use crate::components::authentication_panel::AuthenticationPanel;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::certificates_panel::CertificatesPanel;
use crate::components::details_panel::DetailsPanel;
use crate::components::process_flows_card::ProcessFlowsCard;
use crate::components::states::{ErrorState, LoadingState, NotFoundState};
use crate::components::status_badge::StatusBadge;
use crate::components::tabs::{TabSpec, Tabs};
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_title;
use crate::paths;
use crate::tabs::SettingsTab;

/// The element id of the settings tab panel.
const PANEL_ID: &str = "instance-settings-panel";

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

fn instance_id() -> Memo<Option<Id>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|id| id.parse::<Id>().ok())))
}

/// `/instances/:id/settings`: the settings open on their first tab.
#[component]
pub fn InstanceSettingsIndex() -> impl IntoView {
    let id = instance_id();
    move || match id.get() {
        Some(id) => view! {
            <Redirect path=paths::instance_settings(id, SettingsTab::Details) options=replace() />
        }
        .into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

/// `/instances/:id/settings/:tab`: `instance settings`. The tab is the URL,
/// so switching tabs is a navigation (back returns to the previous tab) and
/// a reload keeps it. The instance is fetched once per id, above the tabs.
#[component]
pub fn InstanceSettingsPage() -> impl IntoView {
    let id = instance_id();
    let params = use_params_map();
    let tab =
        Memo::new(move |_| params.with(|p| p.get_str("tab").and_then(SettingsTab::from_slug)));

    move || match id.get() {
        Some(id) => view! { <InstanceSettingsView id tab /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn InstanceSettingsView(id: Id, tab: Memo<Option<SettingsTab>>) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let navigate = use_navigate();
    let instance = LocalResource::new(move || async move { api.instance(id).await });

    let name = move || {
        instance
            .map(|loaded| loaded.as_ref().ok().map(|s| s.details.name.clone()))
            .flatten()
    };
    use_title(move || match name() {
        Some(name) => format!("{name} · instance settings"),
        None => "instance settings".to_string(),
    });
    let trail = Signal::derive(move || {
        let mut trail = vec![
            Crumb::text("process flows"),
            Crumb::link("connectors & instances", paths::HOME),
        ];
        trail.extend(name().map(Crumb::text));
        trail.push(Crumb::text("instance settings"));
        trail
    });

    let selected = Signal::derive(move || tab.get().unwrap_or(SettingsTab::Details));
    let select = Callback::new(move |tab: SettingsTab| {
        let options = NavigateOptions {
            scroll: false,
            ..Default::default()
        };
        navigate(&paths::instance_settings(id, tab), options);
    });
    // An unknown tab slug shows the first tab, under its own address.
    let fix_unknown_tab = move || {
        tab.get().is_none().then(|| {
            view! { <Redirect path=paths::instance_settings(id, SettingsTab::Details) options=replace() /> }
        })
    };

    let content = move || {
        Suspend::new(async move {
            match instance.await {
                Ok(settings) => {
                    view! { <SettingsContent settings selected on_select=select /> }.into_any()
                }
                Err(error)
                    if error.is_not_found() || error.code() == Some(ErrorCode::BadRequest) =>
                {
                    view! { <NotFoundState title="instance not found" message=error.to_string() /> }
                        .into_any()
                }
                Err(error) => view! {
                    <header class="page-header">
                        <h1>"instance settings"</h1>
                    </header>
                    <ErrorState
                        title="the instance settings could not be loaded"
                        error
                        on_retry=Callback::new(move |()| instance.refetch())
                    />
                }
                .into_any(),
            }
        })
    };

    view! {
        {fix_unknown_tab}
        <Breadcrumb trail />
        <Suspense fallback=|| view! { <LoadingState text="loading instance settings…" lines=5 /> }>
            {content}
        </Suspense>
    }
}

/// The loaded settings: title, tabs with the selected panel, and the process
/// flows that use the instance.
#[component]
fn SettingsContent(
    settings: InstanceSettings,
    selected: Signal<SettingsTab>,
    on_select: Callback<SettingsTab>,
) -> impl IntoView {
    let InstanceSettings {
        connector,
        details,
        authentication,
        certificate,
        status,
        process_flows,
        ..
    } = settings;
    let title = details.name.clone();
    let connector_name = connector.name;
    let definition = connector.definition;
    let now = (js_sys::Date::now() / 1000.0) as i64;

    let tabs = SettingsTab::ALL
        .iter()
        .map(|tab| TabSpec {
            key: tab.slug(),
            label: tab.label(),
        })
        .collect();
    let selected_index = Signal::derive(move || selected.get().index());
    let on_index = Callback::new(move |index: usize| {
        if let Some(tab) = SettingsTab::ALL.get(index) {
            on_select.run(*tab);
        }
    });

    let panel = move || match selected.get() {
        SettingsTab::Details => view! {
            <DetailsPanel details=details.clone() variables=definition.variables.clone() />
        }
        .into_any(),
        SettingsTab::Authentication => view! {
            <AuthenticationPanel
                authentication=authentication.clone()
                methods=definition.auth_methods.clone()
            />
        }
        .into_any(),
        SettingsTab::Certificates => view! {
            <CertificatesPanel certificate=certificate.clone() now />
        }
        .into_any(),
    };

    view! {
        <header class="page-header">
            <div class="page-header__title-row">
                <h1>{title}</h1>
                <span class="page-header__connector">{connector_name}</span>
                <StatusBadge status />
            </div>
            <p class="page-header__subtitle">"instance settings"</p>
        </header>
        <div class="settings-layout">
            <div class="card settings-card">
                <Tabs
                    label="instance settings"
                    tabs
                    selected=selected_index
                    on_select=on_index
                    panel_id=PANEL_ID
                >
                    {panel}
                </Tabs>
            </div>
            <ProcessFlowsCard flows=process_flows />
        </div>
    }
}
