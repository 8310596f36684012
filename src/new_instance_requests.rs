//! The `add new instance` page's requests (a blank draft or a duplicate):
//! testing the new draft, authorising it in the provider's popup, and
//! creating the instance, which then opens on its own settings page. There
//! is nothing saved to reload: no one else can save a draft that is not an
//! instance yet.

use conduit_types::create::CreateInstanceRequest;
use conduit_types::draft::AuthoriseMode;
use conduit_types::Id;
use leptos::{prelude::*, task::spawn_local};

use crate::api::ApiClient;
use crate::editor::Editor;
use crate::instance_actions::SettingsRequests;
use crate::settings_requests::watch_authorisation;

/// The requests for a new instance of `connector`, over the page's editor.
#[derive(Clone, Copy)]
pub struct NewInstanceRequests {
    api: ApiClient,
    connector: Id,
    editor: RwSignal<Editor>,
    /// Stops the running test.
    abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// The provider's consent page, while authorising.
    popup: StoredValue<Option<web_sys::Window>, LocalStorage>,
    /// Opens the created instance's settings.
    created: Callback<Id>,
}

impl NewInstanceRequests {
    pub fn new(api: ApiClient, connector: Id, editor: RwSignal<Editor>, created: Callback<Id>) -> NewInstanceRequests {
        NewInstanceRequests {
            api,
            connector,
            editor,
            abort: StoredValue::new_local(None),
            popup: StoredValue::new_local(None),
            created,
        }
    }

    /// Leaving the page stops a running test and closes the popup.
    pub fn stop(self) {
        self.abort_test();
        self.close_popup();
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

impl SettingsRequests for NewInstanceRequests {
    fn test(&self) {
        let NewInstanceRequests { api, connector, editor, .. } = *self;
        let Some((ticket, request)) = editor.try_update(|e| e.begin_test(js_sys::Date::now() as u64)).flatten() else {
            return;
        };
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        self.abort.set_value(controller);
        spawn_local(async move {
            let answer = api.test_new_draft(connector, &request, signal.as_ref()).await;
            editor.update(|e| e.finish_test(ticket, request.draft, answer));
        });
    }

    fn cancel_test(&self) {
        self.abort_test();
        self.editor.update(Editor::cancel_test);
    }

    /// The consent page opens in a popup, opened at once on the click; when
    /// popups are blocked the page offers it as a link to open by hand (a
    /// new draft has no page for the provider to send the user back to).
    fn authorise(&self) {
        let NewInstanceRequests { api, connector, editor, popup, .. } = *self;
        let opened = window()
            .open_with_url_and_target_and_features("", "conduit-authorise", "popup,width=560,height=720")
            .ok()
            .flatten();
        let Some(request) = editor.try_update(|e| e.begin_authorise(AuthoriseMode::Popup)).flatten() else {
            if let Some(window) = opened {
                _ = window.close();
            }
            return;
        };
        popup.set_value(opened);
        let page = *self;
        spawn_local(async move {
            let answer = api.authorise_new(connector, &request).await;
            let Some(url) = editor.try_update(|e| e.authorise_started(answer)).flatten() else {
                page.close_popup();
                return;
            };
            match popup.get_value() {
                Some(window) => _ = window.location().set_href(&url),
                None => editor.update(|e| e.open_consent_by_hand(url)),
            }
            watch_authorisation(api, editor, popup).await;
        });
    }

    fn cancel_authorise(&self) {
        let api = self.api;
        self.close_popup();
        if let Some(authorisation) = self.editor.try_update(Editor::abandon_authorising).flatten() {
            spawn_local(async move { api.cancel_authorisation(&authorisation).await });
        }
    }

    /// Creates the instance from the tested (or authorised) draft; once
    /// created, its settings page opens.
    fn save(&self) {
        let NewInstanceRequests { api, connector, editor, created, .. } = *self;
        let Some(request) = editor.try_update(Editor::begin_save).flatten() else {
            return;
        };
        let request = CreateInstanceRequest {
            draft: request.draft,
            receipt: request.receipt,
            authorisation: request.authorisation,
        };
        spawn_local(async move {
            let answer = api.create_instance(connector, &request).await;
            let id = answer.as_ref().ok().map(|settings| settings.id);
            editor.update(|e| e.finish_save(answer));
            if let Some(id) = id {
                created.run(id);
            }
        });
    }

    /// Nothing is saved yet, so there is nothing to load again.
    fn reload(&self) {}
}
