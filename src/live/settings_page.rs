//! An open `instance settings` page following its instance's live events,
//! as [`super::settings::change`] decides: the history reloads after a
//! test, the header follows a status, a save elsewhere reloads an unedited
//! page (or shows the conflict over the user's edits), and what happened is
//! told in the page's live notice.

use conduit_types::Id;
use leptos::prelude::*;

use super::settings::{change, Change, Page};
use super::source::{on_instance_event, on_refetch};
use crate::api::ApiClient;
use crate::editor::{Activity, Editor};
use crate::instance_actions::SettingsRequests;
use crate::session::{Session, SessionState};
use crate::settings_requests::PageRequests;

/// Follows instance `id`'s events into the page's editor and requests;
/// answers the sentence the page's live notice shows.
pub fn follow_settings(id: Id, editor: RwSignal<Editor>, requests: PageRequests) -> Signal<Option<String>> {
    let notice = RwSignal::new(None);
    let me = use_context::<Session>().and_then(|session| match untrack(|| session.state()) {
        SessionState::SignedIn(me) => Some(me.user.id),
        _ => None,
    });
    on_instance_event(move |event| {
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let Some(page) = editor.try_with_untracked(|e| Page {
            instance: id,
            me,
            version: e.saved().version,
            status: e.saved().status,
            dirty: e.is_dirty(),
            saving: *e.activity() == Activity::Saving,
            testing: matches!(e.activity(), Activity::Testing { .. }),
        }) else {
            return;
        };
        match change(&event, &page, now) {
            Change::Nothing => {}
            Change::History => requests.load_history(),
            Change::Status { status, tested_at, checked_at, sentence } => {
                editor.update(|e| e.status_elsewhere(status, tested_at, checked_at));
                requests.load_history();
                if sentence.is_some() {
                    notice.set(sentence);
                }
            }
            Change::Reload { sentence } => {
                requests.reload();
                requests.load_history();
                notice.set(Some(sentence));
            }
            Change::Conflict { sentence, changed } => {
                editor.update(|e| e.saved_elsewhere(sentence, &changed));
                requests.load_history();
            }
            Change::Deleted { sentence } => notice.set(Some(sentence)),
        }
    });
    // Events may have been missed: the history and the header load afresh.
    let api = expect_context::<ApiClient>();
    on_refetch(move || {
        requests.load_history();
        leptos::task::spawn_local(async move {
            if let Ok(now) = api.instance(id).await {
                editor.update(|e| e.status_elsewhere(now.status, now.last_tested_at, now.last_checked_at));
            }
        });
    });
    notice.into()
}
