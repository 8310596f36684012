use conduit_types::draft::{AuthoriseMode, InstanceHistory};
use conduit_types::{ErrorCode, Id, InstanceSettings};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::Redirect,
    hooks::{use_navigate, use_params_map},
    NavigateOptions,
};

use crate::api::{ApiClient, ApiError};
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::history_card::{HistoryCard, HistoryList};
use crate::components::instance_editor::InstanceEditor;
use crate::components::process_flows_card::ProcessFlowsCard;
use crate::components::states::{ErrorState, LoadingState, NotFoundState};
use crate::components::status_badge::StatusBadge;
use crate::editor::{Block, Editor};
use crate::leave_guard::{self, guard_unsaved_changes};
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_title;
use crate::paths;
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
    use_title(|| "instance settings".to_string());

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
/// reloading talk to the API here and write their answers into the draft.
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
    let history = RwSignal::new(None::<Result<InstanceHistory, ApiError>>);
    let load_history = move || {
        spawn_local(async move {
            let answer = api.history(id).await;
            history.set(Some(answer));
        })
    };
    load_history();

    let abort = StoredValue::new_local(None::<web_sys::AbortController>);
    let on_test = Callback::new(move |()| {
        let now_ms = js_sys::Date::now() as u64;
        let Some((ticket, request)) = editor.try_update(|e| e.begin_test(now_ms)).flatten() else {
            return;
        };
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        abort.set_value(controller);
        spawn_local(async move {
            let answer = api.test_draft(id, &request, signal.as_ref()).await;
            editor.update(|e| e.finish_test(ticket, request.draft, answer));
            load_history();
        });
    });
    // Leaving the page stops a running test: the server ends it when its
    // request goes away.
    on_cleanup(move || {
        if let Some(controller) = abort.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    });
    let on_cancel_test = Callback::new(move |()| {
        if let Some(controller) = abort.try_update_value(Option::take).flatten() {
            controller.abort();
        }
        editor.update(Editor::cancel_test);
    });
    let on_save = Callback::new(move |()| {
        let Some(request) = editor.try_update(Editor::begin_save).flatten() else {
            return;
        };
        spawn_local(async move {
            let answer = api.save_instance(id, &request).await;
            let saved = answer.is_ok();
            editor.update(|e| e.finish_save(answer));
            if saved {
                load_history();
            }
        });
    });
    // Authorising: the provider's consent page opens in a popup, opened at
    // once on the click (browsers block popups opened later); when popups
    // are blocked the whole page goes there and comes back with
    // `?authorisation=`. The page asks the server how it went until it is
    // decided or the popup is closed.
    let popup = StoredValue::new_local(None::<web_sys::Window>);
    let close_popup = move || {
        if let Some(window) = popup.try_update_value(Option::take).flatten() {
            _ = window.close();
        }
    };
    let on_authorise = Callback::new(move |()| {
        let opened = window()
            .open_with_url_and_target_and_features("", "conduit-authorise", "popup,width=560,height=720")
            .ok()
            .flatten();
        let mode = if opened.is_some() { AuthoriseMode::Popup } else { AuthoriseMode::Redirect };
        let Some(request) = editor.try_update(|e| e.begin_authorise(mode)).flatten() else {
            if let Some(window) = opened {
                _ = window.close();
            }
            return;
        };
        popup.set_value(opened);
        spawn_local(async move {
            let answer = api.authorise(id, &request).await;
            let url = editor.try_update(|e| e.authorise_started(answer)).flatten();
            let Some(url) = url else {
                close_popup();
                return;
            };
            let Some(window) = popup.get_value() else {
                leave_guard::leave_for_provider(&url);
                return;
            };
            _ = window.location().set_href(&url);
            watch_authorisation(api, editor, popup).await;
            load_history();
        });
    });
    let on_cancel_authorise = Callback::new(move |()| {
        close_popup();
        if let Some(authorisation) = editor.try_update(Editor::abandon_authorising).flatten() {
            spawn_local(async move { api.cancel_authorisation(&authorisation).await });
        }
    });
    on_cleanup(close_popup);
    // Back from the provider after a full-page authorisation.
    if let Some(authorisation) = returning_authorisation() {
        spawn_local(async move {
            if let Ok(status) = api.authorisation(&authorisation).await {
                if status.instance_id == id {
                    editor.update(|e| e.restore_authorisation(&authorisation, status));
                }
            }
        });
    }

    // Loading the saved settings again: the draft starts over from them,
    // or after `re-apply my changes` goes on top of them, tested again at
    // once when that touches the connection.
    let on_reload = Callback::new(move |()| {
        spawn_local(async move {
            match api.instance(id).await {
                Ok(settings) => {
                    editor.update(|e| e.reloaded(settings));
                    if editor.with_untracked(|e| e.gate()) == Err(Block::NeedsTest) {
                        on_test.run(());
                    }
                }
                Err(error) => editor.update(|e| e.reload_failed(&error)),
            }
        });
    });

    let connector_name = editor.with_untracked(|e| e.saved().connector.name.clone());
    // A test of the saved connection, or a save, changes it.
    let status = Signal::derive(move || editor.with(|e| e.saved().status));
    // Saving settings does not change which flows use the instance.
    let flows = editor.with_untracked(|e| e.saved().process_flows.clone());
    let retry_history = Callback::new(move |()| {
        history.set(None);
        load_history();
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

    view! {
        <Breadcrumb trail=Signal::derive(move || trail(Some(name.get()))) />
        <header class="page-header">
            <div class="page-header__title-row">
                <h1>{name}</h1>
                <span class="page-header__connector">{connector_name}</span>
                <StatusBadge status />
            </div>
            <p class="page-header__subtitle">"instance settings"</p>
        </header>
        <div class="settings-layout">
            <div class="settings-main">
                <InstanceEditor
                    editor
                    selected
                    on_select
                    on_test
                    on_cancel_test
                    on_authorise
                    on_cancel_authorise
                    on_save
                    on_reload
                    now
                />
            </div>
            <div class="settings-side">
                <ProcessFlowsCard flows />
                <HistoryCard>{history_view}</HistoryCard>
            </div>
        </div>
    }
}

/// The authorisation named by `?authorisation=` after a full-page visit to
/// the provider; the address loses it so a reload does not restore it again.
fn returning_authorisation() -> Option<String> {
    let location = window().location();
    let search = location.search().ok()?;
    let id = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("authorisation="))?
        .to_string();
    if let (Ok(history), Ok(path)) = (window().history(), location.pathname()) {
        _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Some(id)
}

/// How often the page asks how authorising is going, and for how long at
/// most (the server forgets an authorisation after 15 minutes).
const POLL_MS: i32 = 1000;
const POLL_LIMIT: u32 = 15 * 60;

/// Asks the server how the authorisation the editor waits for is going,
/// until it is decided, the popup is closed without a decision, or the
/// editor stops waiting (cancelled, page left).
async fn watch_authorisation(
    api: ApiClient,
    editor: RwSignal<Editor>,
    popup: StoredValue<Option<web_sys::Window>, LocalStorage>,
) {
    for _ in 0..POLL_LIMIT {
        sleep(POLL_MS).await;
        let Some(authorisation) = editor.try_with_untracked(|e| e.waiting_for().map(str::to_owned)).flatten() else {
            return;
        };
        let closed = popup
            .try_with_value(|p| p.as_ref().is_none_or(|w| w.closed().unwrap_or(true)))
            .unwrap_or(true);
        let answer = api.authorisation(&authorisation).await;
        let pending = editor
            .try_update(|e| e.authorisation_update(&authorisation, answer))
            .unwrap_or(false);
        if !pending {
            return;
        }
        if closed {
            // Closed without an answer from the provider: nothing to keep.
            if editor.try_update(Editor::abandon_authorising).flatten().is_some() {
                api.cancel_authorisation(&authorisation).await;
            }
            return;
        }
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
