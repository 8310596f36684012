//! What the `developer settings` views ask for: creating and revoking API
//! keys, and editing and saving the origins. Requests go through the
//! [`ApiClient`], answers into the plain state of [`crate::developer`], and
//! focus goes where that state says, so it is never lost.

use conduit_types::{DeveloperSettings, Id};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::developer::key_form::{KEY_NAME_ID, SECRET_ID};
use crate::developer::key_list::{revoke_id, KEYS_HEADING_ID};
use crate::developer::origins::{input_id, ADD_ORIGIN_ID};
use crate::developer::{KeyForm, KeyList, OriginsDraft, RevokeFocus};

/// The page's state, shared by its views, and the requests they make.
#[derive(Clone, Copy)]
pub struct DeveloperActions {
    api: ApiClient,
    pub form: RwSignal<KeyForm>,
    pub keys: RwSignal<KeyList>,
    pub origins: RwSignal<OriginsDraft>,
}

impl DeveloperActions {
    pub fn new(api: ApiClient, settings: DeveloperSettings) -> Self {
        DeveloperActions {
            api,
            form: RwSignal::new(KeyForm::default()),
            keys: RwSignal::new(KeyList::new(settings.keys)),
            origins: RwSignal::new(OriginsDraft::new(settings.origins)),
        }
    }

    /// `create API key`: the new key goes on top of the list and its secret
    /// takes focus; a refused name takes focus with its error.
    pub fn create_key(self) {
        let Some(request) = self.form.try_update(KeyForm::submit).flatten() else {
            return focus_soon(KEY_NAME_ID.to_string());
        };
        spawn_local(async move {
            match self.api.create_api_key(&request).await {
                Ok(created) => {
                    self.keys.update(|keys| keys.add(created.key.clone()));
                    self.form.update(|form| form.created(created));
                    focus_soon(SECRET_ID.to_string());
                }
                Err(error) => {
                    if self.form.try_update(|form| form.failed(&error)) == Some(true) {
                        focus_soon(KEY_NAME_ID.to_string());
                    }
                }
            }
        });
    }

    /// Revokes a key (once asked): it leaves the list and focus goes to the
    /// next key's `revoke`, or to the list's heading when none is left.
    pub fn revoke(self, id: Id) {
        if self.keys.try_update(|keys| keys.start_revoke(id)) != Some(true) {
            return;
        }
        spawn_local(async move {
            match self.api.revoke_api_key(id).await {
                Ok(()) => {
                    self.form.update(|form| form.forget(id));
                    let next = self.keys.try_update(|keys| keys.revoked(id));
                    focus_soon(match next {
                        Some(RevokeFocus::Key(next)) => revoke_id(next),
                        _ => KEYS_HEADING_ID.to_string(),
                    });
                }
                Err(error) => self.keys.update(|keys| keys.revoke_failed(&error)),
            }
        });
    }

    /// `add origin`: an empty row, focused.
    pub fn add_origin(self) {
        if let Some(row) = self.origins.try_update(OriginsDraft::add).flatten() {
            focus_soon(input_id(row));
        }
    }

    /// `remove`: focus goes to the next row, else `add origin`.
    pub fn remove_origin(self, row: u32) {
        let next = self.origins.try_update(|draft| draft.remove(row)).flatten();
        focus_soon(next.map_or_else(|| ADD_ORIGIN_ID.to_string(), input_id));
    }

    pub fn edit_origin(self, row: u32, text: String) {
        self.origins.update(|draft| draft.edit(row, text));
    }

    /// `save origins`: a row with an error takes focus instead; the
    /// server's errors land at their rows, the first one focused.
    pub fn save_origins(self) {
        let Some(request) = self.origins.try_update(OriginsDraft::submit).flatten() else {
            if let Some(row) = self.origins.with_untracked(OriginsDraft::first_error) {
                focus_soon(input_id(row));
            }
            return;
        };
        spawn_local(async move {
            match self.api.save_origins(&request).await {
                Ok(settings) => self.origins.update(|draft| draft.saved(settings.origins)),
                Err(error) => {
                    if let Some(row) = self.origins.try_update(|draft| draft.failed(&error)).flatten() {
                        focus_soon(input_id(row));
                    }
                }
            }
        });
    }
}

/// Focuses the element with this id once the page has drawn it.
fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id) {
            crate::page_focus::focus_element(&element);
        }
    });
}
