//! `add new instance` (`/connectors/:connector/instances/new`) and
//! `duplicate` (`/instances/:id/duplicate`): the settings' three tabs, the
//! same editor, over a new draft that is not an instance yet. It becomes
//! one when saved after a passing test (or an authorisation), and the page
//! then opens the new instance's settings. A duplicate opens on its
//! `authentication` tab: its secrets were not copied.

use conduit_types::create::NewInstanceDraft;
use conduit_types::{ErrorCode, Id};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::api::ApiClient;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::instance_editor::InstanceEditor;
use crate::components::states::{ErrorState, LoadingState, NotFoundState};
use crate::editor::Editor;
use crate::instance_actions::InstanceActions;
use crate::leave_guard::guard_unsaved_changes;
use crate::new_instance_requests::NewInstanceRequests;
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_title;
use crate::paths;
use crate::tabs::SettingsTab;

/// Where a new draft comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A blank draft of this connector.
    Connector(Id),
    /// A copy of this instance.
    Copy(Id),
}

fn id_param(name: &'static str) -> Memo<Option<Id>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get_str(name).and_then(|id| id.parse::<Id>().ok())))
}

/// `/connectors/:connector/instances/new`.
#[component]
pub fn NewInstancePage() -> impl IntoView {
    let connector = id_param("connector");
    move || match connector.get() {
        Some(id) => view! { <NewInstanceView source=Source::Connector(id) /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

/// `/instances/:id/duplicate`.
#[component]
pub fn DuplicateInstancePage() -> impl IntoView {
    let id = id_param("id");
    move || match id.get() {
        Some(id) => view! { <NewInstanceView source=Source::Copy(id) /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

fn title(source: Source) -> &'static str {
    match source {
        Source::Connector(_) => "add new instance",
        Source::Copy(_) => "duplicate instance",
    }
}

/// `process flows ➤ connectors & instances ➤ add new instance`.
fn trail(source: Source) -> Vec<Crumb> {
    vec![
        Crumb::text("process flows"),
        Crumb::link("connectors & instances", paths::HOME),
        Crumb::text(title(source)),
    ]
}

#[component]
fn NewInstanceView(source: Source) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let draft = LocalResource::new(move || async move {
        match source {
            Source::Connector(id) => api.new_instance(id).await,
            Source::Copy(id) => api.duplicate_instance(id).await,
        }
    });
    use_title(move || title(source).to_string());
    let content = move || {
        Suspend::new(async move {
            match draft.await {
                Ok(new) => view! { <NewInstanceContent new source /> }.into_any(),
                Err(error) if error.is_not_found() || error.code() == Some(ErrorCode::BadRequest) => {
                    let missing = match source {
                        Source::Connector(_) => "connector not found",
                        Source::Copy(_) => "instance not found",
                    };
                    view! {
                        <Breadcrumb trail=trail(source) />
                        <NotFoundState title=missing message=error.to_string() />
                    }
                    .into_any()
                }
                Err(error) => view! {
                    <Breadcrumb trail=trail(source) />
                    <header class="page-header"><h1>{title(source)}</h1></header>
                    <ErrorState title="the new instance could not be started" error on_retry=Callback::new(move |()| draft.refetch()) />
                }
                .into_any(),
            }
        })
    };
    let loading = move || {
        view! {
            <Breadcrumb trail=trail(source) />
            <LoadingState text="loading…" lines=5 />
        }
    };
    view! { <Suspense fallback=loading>{content}</Suspense> }
}

/// The new draft: the editor over it, its tabs kept on the page, and what
/// happens once it is created.
#[component]
fn NewInstanceContent(new: NewInstanceDraft, source: Source) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let duplicate = matches!(source, Source::Copy(_));
    let connector = new.settings.connector.id;
    let connector_name = new.settings.connector.name.clone();
    let copy_of = new.copy_of.clone();
    let editor = RwSignal::new(Editor::for_new(new, duplicate));
    let dirty = Memo::new(move |_| editor.with(Editor::is_dirty));
    guard_unsaved_changes(0, dirty.into());

    let selected = RwSignal::new(if duplicate { SettingsTab::Authentication } else { SettingsTab::Details });
    let navigate = use_navigate();
    let created = Callback::new(move |id: Id| {
        navigate(&paths::instance_settings(id, SettingsTab::Details), NavigateOptions::default());
    });
    let requests = NewInstanceRequests::new(api, connector, editor, created);
    on_cleanup(move || requests.stop());
    let actions = InstanceActions::new(api, editor, Callback::new(move |tab| selected.set(tab)), requests);
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let subtitle = match copy_of {
        Some(name) => format!("a copy of “{name}”: enter its secrets, test the connection, then save"),
        None => "test the connection, then save to add the instance".to_string(),
    };
    view! {
        <Breadcrumb trail=trail(source) />
        <header class="page-header">
            <div class="page-header__title-row">
                <h1>{title(source)}</h1>
                <span class="page-header__connector">{connector_name}</span>
            </div>
            <p class="page-header__subtitle">{subtitle}</p>
        </header>
        <div class="settings-layout">
            <div class="settings-main">
                <InstanceEditor actions selected now />
            </div>
        </div>
    }
}
