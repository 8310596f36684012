//! The instance settings page's requests to the server, and what follows
//! them: a test that leaving the page stops, an authorisation in the
//! provider's popup (or a full-page visit) watched until it is decided, a
//! save and a reload, and the history loaded again after each test and save.
//! Each answer is written into the page's editor.

use conduit_types::draft::{AuthoriseMode, InstanceHistory};
use conduit_types::Id;
use leptos::{prelude::*, task::spawn_local};

use crate::api::{ApiClient, ApiError};
use crate::editor::{Block, Editor};
use crate::instance_actions::SettingsRequests;
use crate::leave_guard;
use crate::settings_host::SettingsHost;

/// The history as the page shows it: `None` while it loads.
pub type HistorySignal = RwSignal<Option<Result<InstanceHistory, ApiError>>>;

/// The page's requests for instance `id`, over its editor and history.
#[derive(Clone, Copy)]
pub struct PageRequests {
    api: ApiClient,
    id: Id,
    editor: RwSignal<Editor>,
    history: HistorySignal,
    /// Stops the running test.
    abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// The provider's consent page, while authorising in a popup.
    popup: StoredValue<Option<web_sys::Window>, LocalStorage>,
    /// The page is embedded in a host's iframe: it never leaves for the
    /// provider itself.
    embedded: bool,
}

impl PageRequests {
    pub fn new(api: ApiClient, id: Id, editor: RwSignal<Editor>, history: HistorySignal) -> PageRequests {
        PageRequests {
            api,
            id,
            editor,
            history,
            abort: StoredValue::new_local(None),
            popup: StoredValue::new_local(None),
            embedded: SettingsHost::current().is_some(),
        }
    }

    /// Loads the history; what is shown stays until the answer comes.
    pub fn load_history(self) {
        spawn_local(async move {
            let answer = self.api.history(self.id).await;
            self.history.set(Some(answer));
        })
    }

    /// Leaving the page stops a running test (the server ends it when its
    /// request goes away) and closes the provider's popup.
    pub fn stop(self) {
        self.abort_test();
        self.close_popup();
    }

    /// Back from the provider after a full-page authorisation: the
    /// authorisation named in the address goes back into the draft.
    pub fn restore_returning_authorisation(self) {
        let Some(authorisation) = returning_authorisation() else {
            return;
        };
        spawn_local(async move {
            if let Ok(status) = self.api.authorisation(&authorisation).await {
                if status.instance_id == self.id {
                    self.editor.update(|e| e.restore_authorisation(&authorisation, status));
                }
            }
        });
    }

    fn abort_test(self) {
        if let Some(controller) = self.abort.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    }

    fn close_popup(self) {
        if let Some(window) = self.popup.try_update_value(Option::take).flatten() {
            _ = window.close();
        }
    }
}

impl SettingsRequests for PageRequests {
    fn test(&self) {
        let PageRequests { api, id, editor, .. } = *self;
        let now_ms = js_sys::Date::now() as u64;
        let Some((ticket, request)) = editor.try_update(|e| e.begin_test(now_ms)).flatten() else {
            return;
        };
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        self.abort.set_value(controller);
        let page = *self;
        spawn_local(async move {
            let answer = api.test_draft(id, &request, signal.as_ref()).await;
            editor.update(|e| e.finish_test(ticket, request.draft, answer));
            page.load_history();
        });
    }

    fn cancel_test(&self) {
        self.abort_test();
        self.editor.update(Editor::cancel_test);
    }

    /// The provider's consent page opens in a popup, opened at once on the
    /// click (browsers block popups opened later); when popups are blocked
    /// the whole page goes there and comes back with `?authorisation=`. The
    /// page asks the server how it went until it is decided or the popup is
    /// closed.
    fn authorise(&self) {
        let PageRequests { api, id, editor, popup, embedded, .. } = *self;
        let opened = window()
            .open_with_url_and_target_and_features("", "conduit-authorise", "popup,width=560,height=720")
            .ok()
            .flatten();
        // An embedded page never leaves: without a popup, the user opens
        // the provider's page from a link, in a window of its own.
        let mode = if opened.is_some() || embedded { AuthoriseMode::Popup } else { AuthoriseMode::Redirect };
        let Some(request) = editor.try_update(|e| e.begin_authorise(mode)).flatten() else {
            if let Some(window) = opened {
                _ = window.close();
            }
            return;
        };
        popup.set_value(opened);
        let page = *self;
        spawn_local(async move {
            let answer = api.authorise(id, &request).await;
            let url = editor.try_update(|e| e.authorise_started(answer)).flatten();
            let Some(url) = url else {
                page.close_popup();
                return;
            };
            match popup.get_value() {
                Some(window) => _ = window.location().set_href(&url),
                None if embedded => editor.update(|e| e.open_consent_by_hand(url)),
                None => return leave_guard::leave_for_provider(&url),
            }
            watch_authorisation(api, editor, popup).await;
            page.load_history();
        });
    }

    fn cancel_authorise(&self) {
        let api = self.api;
        self.close_popup();
        if let Some(authorisation) = self.editor.try_update(Editor::abandon_authorising).flatten() {
            spawn_local(async move { api.cancel_authorisation(&authorisation).await });
        }
    }

    fn save(&self) {
        let PageRequests { api, id, editor, .. } = *self;
        let Some(request) = editor.try_update(Editor::begin_save).flatten() else {
            return;
        };
        let page = *self;
        spawn_local(async move {
            let answer = api.save_instance(id, &request).await;
            let saved = answer.is_ok();
            editor.update(|e| e.finish_save(answer));
            if saved {
                page.load_history();
            }
        });
    }

    /// The draft starts over from the saved settings, or after `re-apply my
    /// changes` goes on top of them, tested again at once when that touches
    /// the connection.
    fn reload(&self) {
        let page = *self;
        spawn_local(async move {
            match page.api.instance(page.id).await {
                Ok(settings) => {
                    page.editor.update(|e| e.reloaded(settings));
                    if page.editor.with_untracked(|e| e.gate()) == Err(Block::NeedsTest) {
                        page.test();
                    }
                }
                Err(error) => page.editor.update(|e| e.reload_failed(&error)),
            }
        });
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
pub(crate) async fn watch_authorisation(
    api: ApiClient,
    editor: RwSignal<Editor>,
    popup: StoredValue<Option<web_sys::Window>, LocalStorage>,
) {
    for _ in 0..POLL_LIMIT {
        sleep(POLL_MS).await;
        let Some(authorisation) = editor.try_with_untracked(|e| e.waiting_for().map(str::to_owned)).flatten() else {
            return;
        };
        // A window the user opened by hand cannot be watched: only the
        // server's answer (or cancelling) ends the wait.
        let by_hand = editor.try_with_untracked(|e| e.consent_link().is_some()).unwrap_or(false);
        let closed = !by_hand
            && popup
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
