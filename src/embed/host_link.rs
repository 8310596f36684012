//! The embedded page's line to its host page: the `MessagePort` the host
//! hands over in its `conduit:connect`. Only the first connect coming from
//! the parent window is taken (its origin is kept, and checked against the
//! session's before any settings show); every later window message is
//! ignored, and nothing is ever posted to the window itself.

use leptos::{ev, prelude::*};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{MessageEvent, MessagePort};

use super::messages::{Field, FromHost, Setting, ToHost, CONNECT};

#[derive(Clone, Copy)]
pub struct HostLink {
    port: StoredValue<Option<MessagePort>, LocalStorage>,
    origin: StoredValue<Option<String>>,
}

impl HostLink {
    /// Waits for the host's `conduit:connect`; `on_connect` runs once it
    /// came, and `on_message` for each message the host sends after that.
    pub fn open(on_connect: impl Fn() + 'static, on_message: impl Fn(FromHost) + 'static) -> HostLink {
        let link = HostLink { port: StoredValue::new_local(None), origin: StoredValue::new(None) };
        let on_message = std::rc::Rc::new(on_message);
        let handle = window_event_listener(ev::message, move |event: MessageEvent| {
            if link.port.with_value(Option::is_some) || !from_parent(&event) {
                return;
            }
            let Some(port) = connect_port(&event) else { return };
            let on_message = on_message.clone();
            let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(message) = read(&event.data()) {
                    on_message(message);
                }
            });
            port.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            // The port lives as long as the page; so does its listener.
            listener.forget();
            link.origin.set_value(Some(event.origin()));
            link.port.set_value(Some(port));
            link.send(&ToHost::Hello);
            on_connect();
        });
        on_cleanup(move || {
            handle.remove();
            if let Some(port) = link.port.try_update_value(Option::take).flatten() {
                port.close();
            }
        });
        link
    }

    /// The host page's origin, once connected.
    pub fn origin(self) -> Option<String> {
        self.origin.try_get_value().flatten()
    }

    /// Tells the host; nothing when not connected.
    pub fn send(self, message: &ToHost) {
        let value = js_sys::Object::new();
        let (kind, fields) = message.parts();
        set(&value, "type", &kind.into());
        for (name, field) in fields {
            let field = match field {
                Field::Text(text) => JsValue::from(text),
                Field::Number(number) => JsValue::from(number),
                Field::Flag(flag) => JsValue::from(flag),
            };
            set(&value, name, &field);
        }
        self.port.try_with_value(|port| {
            if let Some(port) = port {
                _ = port.post_message(&value);
            }
        });
    }
}

/// Whether a message came from the window framing this page (never from
/// this page itself, nor when it is not framed at all).
fn from_parent(event: &MessageEvent) -> bool {
    framing_window().is_some_and(|parent| event.source().is_some_and(|source| js_sys::Object::is(&source, &parent)))
}

/// The window framing this page, if another one does.
pub fn framing_window() -> Option<web_sys::Window> {
    let window = window();
    window.parent().ok().flatten().filter(|parent| !js_sys::Object::is(parent, &window))
}

/// The port of a `conduit:connect` message, if it is one.
fn connect_port(event: &MessageEvent) -> Option<MessagePort> {
    if text(&event.data(), "type").as_deref() != Some(CONNECT) {
        return None;
    }
    event.ports().get(0).dyn_into::<MessagePort>().ok()
}

/// A host's message, read from the object it posted.
fn read(data: &JsValue) -> Option<FromHost> {
    let kind = text(data, "type")?;
    let appearance = js_sys::Reflect::get(data, &"appearance".into()).ok().filter(JsValue::is_object);
    let appearance = appearance
        .map(|object| {
            js_sys::Object::entries(object.unchecked_ref())
                .iter()
                .filter_map(|entry| {
                    let entry: js_sys::Array = entry.unchecked_into();
                    let value = entry.get(1);
                    let setting = match value.as_string() {
                        Some(text) => Setting::Text(text),
                        None => Setting::Number(value.as_f64()?),
                    };
                    Some((entry.get(0).as_string()?, setting))
                })
                .collect()
        })
        .unwrap_or_default();
    FromHost::read(&kind, text(data, "secret"), appearance)
}

/// A string field of a posted object.
fn text(data: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(data, &name.into()).ok()?.as_string()
}

fn set(object: &js_sys::Object, name: &str, value: &JsValue) {
    _ = js_sys::Reflect::set(object, &name.into(), value);
}
