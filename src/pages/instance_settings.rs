use conduit_types::{ErrorCode, Id, InstanceSettings};
use leptos::prelude::*;
use leptos_router::{
    components::Redirect,
    hooks::{use_navigate, use_params_map},
    NavigateOptions,
};

use crate::api::ApiClient;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::delete_instance::DeleteInstance;
use crate::components::history_card::{HistoryCard, HistoryList};
use crate::components::instance_editor::InstanceEditor;
use crate::components::live_notice::LiveNotice;
use crate::components::process_flows_card::ProcessFlowsCard;
use crate::components::states::{ErrorState, LoadingState, NotFoundState};
use crate::components::status_badge::StatusBadge;
use crate::deletion;
use crate::editor::Editor;
use crate::instance_actions::InstanceActions;
use crate::leave_guard::guard_unsaved_changes;
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_title;
use crate::paths;
use crate::settings_host::SettingsHost;
use crate::settings_requests::PageRequests;
use crate::tabs::SettingsTab;

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
/// a reload keeps it.
///
/// The instance is fetched, and its draft kept, once per id, above the
/// tabs: leptos_router 0.8 does not rebuild a route's view when only its
/// params change (`nested_router.rs` compares the matched route's id and
/// just updates the params signal), and this view re-renders its content
/// only when the id changes. So moving between tabs keeps every edit.
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
    let area = SettingsHost::area_of(SettingsHost::current());
    use_title(|| "instance settings".to_string());

    let selected = Signal::derive(move || tab.get().unwrap_or(SettingsTab::Details));
    let select = Callback::new(move |tab: SettingsTab| {
        let options = NavigateOptions {
            scroll: false,
            ..Default::default()
        };
        navigate(&paths::instance_settings_in(&area, id, tab), options);
    });
    // An unknown tab slug shows the first tab, under its own address.
    let first_tab = paths::instance_settings_in(&SettingsHost::area_of(SettingsHost::current()), id, SettingsTab::Details);
    let fix_unknown_tab = move || {
        tab.get().is_none().then(|| {
            view! { <Redirect path=first_tab.clone() options=replace() /> }
        })
    };

    let content = move || {
        Suspend::new(async move {
            match instance.await {
                Ok(settings) => {
                    view! { <SettingsContent id settings selected on_select=select /> }.into_any()
                }
                Err(error)
                    if error.is_not_found() || error.code() == Some(ErrorCode::BadRequest) =>
                {
                    view! {
                        <Breadcrumb trail=trail(None) />
                        <NotFoundState title="instance not found" message=error.to_string() />
                    }
                    .into_any()
                }
                Err(error) => view! {
                    <Breadcrumb trail=trail(None) />
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
    let loading = || {
        view! {
            <Breadcrumb trail=trail(None) />
            <LoadingState text="loading instance settings…" lines=5 />
        }
    };

    view! {
        {fix_unknown_tab}
        <Suspense fallback=loading>{content}</Suspense>
    }
}

/// `process flows ➤ connectors & instances ➤ <name> ➤ instance settings`.
fn trail(name: Option<String>) -> Vec<Crumb> {
    let mut trail = vec![
        Crumb::text("process flows"),
        Crumb::link("connectors & instances", paths::HOME),
    ];
    trail.extend(name.map(Crumb::text));
    trail.push(Crumb::text("instance settings"));
    trail
}

/// The loaded settings: the one draft of this page, the editor over it, the
/// process flows that use the instance and its history. Testing, saving and
/// reloading are the page's requests (`settings_requests`), which write
/// their answers into the draft; the editor asks for them through its actions.
#[component]
fn SettingsContent(
    id: Id,
    settings: InstanceSettings,
    selected: Signal<SettingsTab>,
    on_select: Callback<SettingsTab>,
) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let editor = RwSignal::new(Editor::new(settings));
    let dirty = Memo::new(move |_| editor.with(Editor::is_dirty));
    guard_unsaved_changes(id, dirty.into());

    let name = Memo::new(move |_| editor.with(|e| e.saved().details.name.clone()));
    use_title(move || format!("{} · instance settings", name.get()));

    // The history: kept on screen while a fresh copy loads after each test
    // and save. (A signal rather than a second resource: one more resource
    // type costs the bundle more than this.)
    let history = RwSignal::new(None);
    let requests = PageRequests::new(api, id, editor, history);
    requests.load_history();
    on_cleanup(move || requests.stop());
    // Saves, tests and status changes made elsewhere (another window, the
    // background checker) reach this page as they happen.
    let live_notice = crate::live::follow_settings(id, editor, requests);
    requests.restore_returning_authorisation();
    let actions = InstanceActions::new(api, editor, on_select, requests);
    let host = SettingsHost::current();
    if let Some(host) = host {
        host.attach.run((editor, actions));
    }

    let connector_name = editor.with_untracked(|e| e.saved().connector.name.clone());
    // A test of the saved connection, or a save, changes it.
    let status = Signal::derive(move || editor.with(|e| e.saved().status));
    let last_tried = move || {
        let now = (js_sys::Date::now() / 1000.0) as i64;
        editor.with(|e| crate::text::last_tried(e.saved().last_tested_at, e.saved().last_checked_at, now))
    };
    // Saving settings does not change which flows use the instance.
    let flows = editor.with_untracked(|e| e.saved().process_flows.clone());
    let retry_history = Callback::new(move |()| {
        history.set(None);
        requests.load_history();
    });
    let history_view = move || match history.get() {
        None => view! { <LoadingState text="loading history…" lines=2 /> }.into_any(),
        Some(Ok(history)) => {
            let now = (js_sys::Date::now() / 1000.0) as i64;
            view! { <HistoryList entries=history.entries now /> }.into_any()
        }
        Some(Err(error)) => view! {
            <ErrorState title="the history could not be loaded" error on_retry=retry_history />
        }
        .into_any(),
    };

    // Deleting: not from an embedded page. Once deleted, `manage connectors`
    // says so; a refusal (a flow added meanwhile) is shown in the dialog.
    let delete = host.is_none().then(|| {
        let (refusal, busy) = (RwSignal::new(None), RwSignal::new(false));
        let navigate = use_navigate();
        let on_delete = Callback::new(move |()| {
            busy.set(true);
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match api.delete_instance(id).await {
                    Ok(()) => {
                        deletion::leave_status(deletion::deleted_message(&name.get_untracked()));
                        navigate(paths::HOME, NavigateOptions::default());
                    }
                    Err(error) => {
                        refusal.set(Some(error.to_string()));
                        busy.set(false);
                    }
                }
            });
        });
        let flows = flows.clone();
        view! { <DeleteInstance name=name.into() flows on_delete refusal=refusal.into() busy=busy.into() /> }
    });
    // A copy is a new draft on its own page; not from an embedded page.
    let duplicate = host.is_none().then(|| {
        let href = crate::base_path::url(&paths::duplicate_instance(id));
        view! { <a class="button button--secondary page-header__action" href=href>"duplicate"</a> }
    });
    // An embedded page has no dashboard to lead back to.
    let breadcrumb = host.is_none().then(|| view! { <Breadcrumb trail=Signal::derive(move || trail(Some(name.get()))) /> });
    view! {
        {breadcrumb}
        <header class="page-header">
            <div class="page-header__title-row">
                <h1>{name}</h1>
                <span class="page-header__connector">{connector_name}</span>
                <StatusBadge status />
                <span class="page-header__checked">{last_tried}</span>
                {duplicate}
            </div>
            <p class="page-header__subtitle">"instance settings"</p>
        </header>
        <LiveNotice text=live_notice />
        <div class="settings-layout">
            <div class="settings-main">
                <InstanceEditor actions selected now />
            </div>
            <div class="settings-side">
                <ProcessFlowsCard flows links=host.is_none() />
                <HistoryCard>{history_view}</HistoryCard>
                {delete}
            </div>
        </div>
    }
}
