//! Asking before unsaved edits are left behind.
//!
//! A page with a draft calls [`guard_unsaved_changes`]; while the draft has
//! unsaved edits, every way out of the page asks first, and moving between
//! the same instance's settings tabs never does. Three listeners on
//! `window`, all removed when the page goes away:
//!
//! 1. **Closing or reloading the browser tab** (or following a link to
//!    another site): `beforeunload`, with `preventDefault` and a
//!    `returnValue`, so the browser shows its own question.
//! 2. **In-app links** (the breadcrumb, the navigation rail): leptos_router
//!    0.8 (`BrowserUrl::init` in `location/history.rs`) follows them from a
//!    *bubbling* `click` listener on `window`, which leaves alone any click
//!    whose default is already prevented. Ours listens on `window` in the
//!    *capture* phase, so it runs before the link, any element and the
//!    router see the click. When the user answers "cancel" it calls
//!    `preventDefault` (neither the browser nor the router follows the link)
//!    and `stopImmediatePropagation`.
//! 3. **The browser's back and forward buttons**: `popstate`, fired at
//!    `window` itself after the browser has already moved to the other
//!    entry. Listeners on the event's target run in the order they were
//!    added, capture or not (Chromium 156 does so for `window`; an
//!    end-to-end test checks it), and the router's listener would unmount
//!    the page, and with it any listener the page added. So [`install`]
//!    adds one popstate listener for the whole app *before* the router
//!    starts; it consults the guarded page, if any. On "cancel" it stops the
//!    event before the router sees it (the router's URL, and so the page
//!    with its draft, stay) and pushes the page's own URL back
//!    (`history.pushState`) so the address bar matches the page.
//!
//! Leaving by code (signing out) asks through [`confirm_leaving`].

use std::cell::Cell;

use conduit_types::Id;
use leptos::{ev, prelude::*};
use leptos_router::hooks::use_location;
use send_wrapper::SendWrapper;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::paths;

/// The question asked before unsaved edits are left behind.
pub const LEAVE_QUESTION: &str =
    "You have unsaved changes to this instance. Leave without saving them?";

thread_local! {
    /// The guarded page's "has unsaved edits", for leaves made by code.
    static GUARDED: Cell<Option<Guarded>> = const { Cell::new(None) };
    /// The page is going to the provider's consent page and back: its draft
    /// waits on the server meanwhile.
    static TO_PROVIDER: Cell<bool> = const { Cell::new(false) };
    static NEXT_TOKEN: Cell<u32> = const { Cell::new(0) };
}

/// Leaves for the provider's consent page without asking: the server
/// keeps the draft being authorised, and the page restores it on return.
pub fn leave_for_provider(url: &str) {
    TO_PROVIDER.with(|to| to.set(true));
    _ = window().location().set_href(url);
}

/// Whether leaving may go ahead: nothing is unsaved, or the user said so.
pub fn confirm_leaving() -> bool {
    let dirty = GUARDED
        .with(Cell::get)
        .is_some_and(|guarded| guarded.dirty.try_get_untracked().unwrap_or(false));
    !dirty || ask()
}

fn ask() -> bool {
    window()
        .confirm_with_message(LEAVE_QUESTION)
        .unwrap_or(true)
}

/// The page being guarded: whose settings, whether they have unsaved
/// edits, and the page's own URL.
#[derive(Clone, Copy)]
struct Guarded {
    token: u32,
    id: Id,
    dirty: Signal<bool>,
    here: Signal<String>,
}

/// Adds the app's one `popstate` guard. Call it once, before the router
/// starts, so it runs ahead of the router's own listener.
pub fn install() {
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let Some(guarded) = GUARDED.with(Cell::get) else {
            return;
        };
        let Ok(path) = window().location().pathname() else {
            return;
        };
        let dirty = guarded.dirty.try_get_untracked().unwrap_or(false);
        if paths::within_instance_settings(guarded.id, &path) || !dirty || ask() {
            return;
        }
        ev.stop_immediate_propagation();
        if let (Ok(history), Some(here)) = (window().history(), guarded.here.try_get_untracked()) {
            _ = history.push_state_with_url(&JsValue::NULL, "", Some(&here));
        }
    });
    _ = window().add_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref());
    // The listener lives as long as the app.
    listener.forget();
}

/// Asks before leaving instance `id`'s settings while `dirty` is true (see
/// the module documentation). Call it in the page's component: the
/// listeners go when its owner is cleaned up.
pub fn guard_unsaved_changes(id: Id, dirty: Signal<bool>) {
    let token = NEXT_TOKEN.with(|next| {
        let token = next.get().wrapping_add(1);
        next.set(token);
        token
    });
    let location = use_location();
    let here = Signal::derive(move || {
        paths::full_path(
            &location.pathname.get(),
            &location.search.get(),
            &location.hash.get(),
        )
    });
    GUARDED.with(|guarded| {
        guarded.set(Some(Guarded {
            token,
            id,
            dirty,
            here,
        }))
    });

    let unload = window_event_listener(ev::beforeunload, move |ev| {
        if dirty.get_untracked() && !TO_PROVIDER.with(Cell::get) {
            ev.prevent_default();
            ev.set_return_value(LEAVE_QUESTION);
        }
    });

    let click = CaptureListener::add("click", move |ev| {
        let ev: web_sys::MouseEvent = ev.unchecked_into();
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || !dirty.get_untracked()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        // New tabs and downloads leave nothing; other sites meet `beforeunload`.
        let same_site = window().location().origin().ok() == Some(link.origin());
        if !link.target().is_empty() || link.has_attribute("download") || !same_site {
            return;
        }
        if !paths::within_instance_settings(id, &link.pathname()) && !ask() {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });

    on_cleanup(move || {
        unload.remove();
        click.remove();
        GUARDED.with(|guarded| {
            if guarded.get().is_some_and(|g| g.token == token) {
                guarded.set(None);
            }
        });
    });
}

/// A capture-phase listener on `window`.
struct CaptureListener {
    event: &'static str,
    callback: SendWrapper<JsValue>,
}

impl CaptureListener {
    fn add(event: &'static str, callback: impl Fn(web_sys::Event) + 'static) -> Self {
        let boxed: Box<dyn Fn(web_sys::Event)> = Box::new(callback);
        let callback = Closure::wrap(boxed).into_js_value();
        _ = window().add_event_listener_with_callback_and_bool(
            event,
            callback.unchecked_ref(),
            true,
        );
        CaptureListener {
            event,
            callback: SendWrapper::new(callback),
        }
    }

    fn remove(self) {
        _ = window().remove_event_listener_with_callback_and_bool(
            self.event,
            self.callback.unchecked_ref(),
            true,
        );
    }
}
