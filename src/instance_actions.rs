//! Everything the instance settings view can ask for, as one value its
//! components receive: switching tabs, testing, authorising, saving,
//! reloading (through [`SettingsRequests`], the page's requests whose answers
//! it follows), and reading a certificate, discarding the draft and placing
//! a file (done here, over the editor and the API client).
//!
//! The app and the component tests build it with the same constructor; the
//! tests give it requests that record what was asked instead of sending it.

use std::sync::Arc;

use leptos::{prelude::*, task::spawn_local};

use crate::api::ApiClient;
use crate::certificate_files;
use crate::editor::Editor;
use crate::tabs::SettingsTab;

/// The requests the settings page sends and follows: a test it can stop, an
/// authorisation in the provider's window, a save and a reload after which
/// the history loads again. The page's are
/// [`crate::settings_requests::PageRequests`].
pub trait SettingsRequests: Send + Sync + 'static {
    /// `test instance connection`.
    fn test(&self);
    fn cancel_test(&self);
    /// `authorise` or `reconnect`, for methods checked at the provider.
    fn authorise(&self);
    fn cancel_authorise(&self);
    /// Save the draft now (any confirmation has been given).
    fn save(&self);
    /// Load the saved settings again (after a conflict).
    fn reload(&self);
}

/// What the settings view asks for. Copied into every component that asks.
#[derive(Clone, Copy)]
pub struct InstanceActions {
    api: ApiClient,
    editor: RwSignal<Editor>,
    select: Callback<SettingsTab>,
    requests: StoredValue<Arc<dyn SettingsRequests>>,
}

impl InstanceActions {
    /// The actions over `editor`: `select` switches tabs (the page keeps the
    /// tab in the address), `requests` sends what needs following.
    pub fn new(
        api: ApiClient,
        editor: RwSignal<Editor>,
        select: Callback<SettingsTab>,
        requests: impl SettingsRequests,
    ) -> InstanceActions {
        let requests: Arc<dyn SettingsRequests> = Arc::new(requests);
        InstanceActions {
            api,
            editor,
            select,
            requests: StoredValue::new(requests),
        }
    }

    /// The draft being edited.
    pub fn editor(self) -> RwSignal<Editor> {
        self.editor
    }

    pub fn select(self, tab: SettingsTab) {
        self.select.run(tab);
    }

    /// Switching tabs, as a callback for views that take one.
    pub fn on_select(self) -> Callback<SettingsTab> {
        self.select
    }

    /// Asks the page for one of its [`SettingsRequests`]: testing, saving,
    /// reloading and the like, e.g. `actions.ask(|r| r.test())`.
    pub fn ask(self, request: impl FnOnce(&dyn SettingsRequests)) {
        self.requests.with_value(|requests| request(&**requests));
    }

    /// `re-apply my changes`: the new version with the user's edits on top.
    pub fn reapply(self) {
        self.editor.update(Editor::want_reapply);
        self.ask(|r| r.reload());
    }

    /// `discard`: the draft goes back to the saved settings, and an
    /// authorisation not yet saved is cancelled at the server.
    pub fn discard(self) {
        let api = self.api;
        if let Some(authorisation) = self.editor.try_update(Editor::discard).flatten() {
            spawn_local(async move { api.cancel_authorisation(&authorisation).await });
        }
    }

    /// `read certificate`: the server reads the upload form before the
    /// draft takes it.
    pub fn read_certificate(self) {
        let (api, editor) = (self.api, self.editor);
        let Some(upload) = editor.try_update(|e| e.begin_read_certificate()).flatten() else {
            return;
        };
        spawn_local(async move {
            let answer = api.inspect_certificate(&upload).await;
            editor.update(|e| e.finish_read_certificate(upload, answer));
        });
    }

    /// A chosen or dropped file, read: it goes where it belongs in the form.
    pub fn take_file(self, name: &str, bytes: &[u8]) {
        let placed = certificate_files::place(name, bytes);
        self.editor.update(|e| placed.put(e));
    }
}
