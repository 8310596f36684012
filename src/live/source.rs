//! The one `EventSource` of the signed-in area and its messages as a
//! context: pages subscribe with [`on_instance_event`] / [`on_refetch`].
//! The browser reconnects by itself after a dropped connection (sending the
//! last id, so the server replays what was missed); when the server refused
//! the stream (signed out, too many open), it is tried again a little later.

use std::cell::RefCell;
use std::rc::Rc;

use conduit_types::{InstanceEvent, LiveMessage};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How long after a refused stream it is opened again.
const REOPEN_MS: i32 = 15_000;

/// The stream's messages as pages hear them: the latest one (each one
/// notifies, even if equal to the one before).
#[derive(Clone, Copy)]
pub struct LiveUpdates {
    latest: RwSignal<Option<LiveMessage>>,
}

impl LiveUpdates {
    pub fn new() -> LiveUpdates {
        LiveUpdates { latest: RwSignal::new(None) }
    }

    /// What the stream heard, for the pages that follow it.
    pub fn tell(&self, message: LiveMessage) {
        self.latest.set(Some(message));
    }
}

impl Default for LiveUpdates {
    fn default() -> Self {
        LiveUpdates::new()
    }
}

/// What keeps the stream open, dropped with the signed-in area.
struct Open {
    source: Option<web_sys::EventSource>,
    on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    on_error: Closure<dyn FnMut(JsValue)>,
}

/// The open stream; `None` once the area is gone.
type Shared = Rc<RefCell<Option<Open>>>;

/// Opens the stream and puts its messages in context, for the pages below.
/// Closed when the calling owner (the signed-in area) is cleaned up.
pub fn provide_live_updates() {
    let live = LiveUpdates::new();
    provide_context(live);
    let shared: Shared = Rc::default();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        if let Some(message) = event.data().as_string().and_then(|text| serde_json::from_str::<LiveMessage>(&text).ok()) {
            live.tell(message);
        }
    });
    let weak = Rc::downgrade(&shared);
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        let Some(shared) = weak.upgrade() else { return };
        let closed = shared.borrow().as_ref().and_then(|o| o.source.as_ref()).is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED);
        if closed {
            // Refused, not dropped: the browser will not try again itself.
            let weak = Rc::downgrade(&shared);
            let again = Closure::once_into_js(move || {
                if let Some(shared) = weak.upgrade() {
                    connect(&shared);
                }
            });
            _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), REOPEN_MS);
        }
    });
    *shared.borrow_mut() = Some(Open { source: None, on_message, on_error });
    connect(&shared);
    let shared = SendWrapper::new(shared);
    on_cleanup(move || {
        if let Some(open) = shared.borrow_mut().take() {
            if let Some(source) = open.source {
                source.close();
            }
        }
    });
}

/// (Re)opens the stream, unless the area is gone.
fn connect(shared: &Shared) {
    let mut open = shared.borrow_mut();
    let Some(open) = open.as_mut() else {
        return;
    };
    if let Some(old) = open.source.take() {
        old.close();
    }
    let Ok(source) = web_sys::EventSource::new(&crate::base_path::url("/api/events")) else {
        return;
    };
    source.set_onmessage(Some(open.on_message.as_ref().unchecked_ref()));
    source.set_onerror(Some(open.on_error.as_ref().unchecked_ref()));
    open.source = Some(source);
}

/// Runs `f` for every instance event while the calling owner lives (does
/// nothing outside a signed-in area, e.g. embedded).
pub fn on_instance_event(f: impl Fn(InstanceEvent) + 'static) {
    on_message(move |message| {
        if let LiveMessage::Instance(event) = message {
            f(event);
        }
    });
}

/// Runs `f` when the stream says events may have been missed.
pub fn on_refetch(f: impl Fn() + 'static) {
    on_message(move |message| {
        if message == LiveMessage::Refetch {
            f();
        }
    });
}

fn on_message(f: impl Fn(LiveMessage) + 'static) {
    let Some(live) = use_context::<LiveUpdates>() else {
        return;
    };
    // Only messages that arrive from now on.
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let message = live.latest.get();
        if !started.get_value() {
            started.set_value(true);
            return;
        }
        if let Some(message) = message {
            untrack(|| f(message));
        }
    });
}
