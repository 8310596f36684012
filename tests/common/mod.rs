//! Helpers shared by the component test files: a fresh element to mount
//! into, mounting inside the router with the app's context, waiting for
//! effects, finding elements by role, name and label, typing, and a fake
//! `fetch` that answers each `METHOD /path` as told.
#![allow(dead_code)]

pub mod held_fetch;

use conduit_web::api::ApiClient;
use conduit_web::session::Session;
use leptos::{mount::mount_to, prelude::*};
use leptos_router::components::Router;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlDialogElement, HtmlElement, HtmlInputElement};

/// A fresh element in the page to mount one component into.
pub fn container() -> HtmlElement {
    let element = document()
        .create_element("div")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

/// Lets effects, re-renders and event handlers run.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

/// The accessible name, as far as these components give one: `aria-label`,
/// else the text of everything not hidden from assistive technology.
pub fn name_of(element: &Element) -> String {
    if let Some(label) = element.get_attribute("aria-label") {
        return label;
    }
    let copy = element
        .clone_node_with_deep(true)
        .unwrap()
        .unchecked_into::<Element>();
    for hidden in all(&copy, "[aria-hidden=\"true\"]") {
        hidden.remove();
    }
    copy.text_content()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rendered text (`innerText`, so separate elements stay separate words)
/// with runs of white space collapsed, as a reader would see it.
pub fn text_of(element: &Element) -> String {
    element
        .unchecked_ref::<HtmlElement>()
        .inner_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn by_role(root: &Element, role: &str) -> Vec<Element> {
    all(root, &format!("[role=\"{role}\"]"))
}

pub fn named(elements: Vec<Element>, name: &str) -> Element {
    let names: Vec<String> = elements.iter().map(name_of).collect();
    elements
        .into_iter()
        .find(|e| name_of(e) == name)
        .unwrap_or_else(|| panic!("nothing named {name:?} among {names:?}"))
}

pub fn attr(element: &Element, name: &str) -> Option<String> {
    element.get_attribute(name)
}

/// The input a `<label>` with this text points at.
pub fn input_labelled(root: &Element, label: &str) -> HtmlInputElement {
    let label = named(all(root, "label"), label);
    let id = attr(&label, "for").expect("the label names its input");
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .expect("the labelled input exists")
        .unchecked_into()
}

pub async fn press(element: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
    settle().await;
}

/// Sends a bubbling `kind` event (`input`, `change`) to `target`, as the
/// browser does after a person changes a control, and lets the page settle.
pub async fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
    settle().await;
}

pub async fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    fire(input, "input").await;
}

pub fn focused() -> Option<Element> {
    document().active_element()
}

pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

pub fn button(root: &Element, name: &str) -> Element {
    named(all(root, "button"), name)
}

/// The sentences the save button is described by.
pub fn described(root: &Element, element: &Element) -> String {
    attr(element, "aria-describedby")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|id| root.query_selector(&format!("#{id}")).unwrap())
        .map(|e| text_of(&e))
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn wait_for(what: &str, done: impl Fn() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        settle().await;
    }
    panic!("{what} did not happen");
}

/// Mounts a view the way the app does: inside the router, with the API
/// client and the session in context.
pub fn mount_in_app<V: IntoView + 'static>(view: fn() -> V) -> (HtmlElement, impl Drop) {
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! { <Router>{view()}</Router> }
    });
    (root, handle)
}

/// Replaces `fetch` for one test: each `METHOD /path` answers with the
/// JSON bodies given for it, in turn (the last one again once they run
/// out; a 204 has no body); anything else is a 404. Returns what was asked, as `METHOD /path`.
/// Dropping the guard puts the browser's `fetch` back.
pub struct FakeApi {
    original: JsValue,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        js_sys::Reflect::set(&window(), &"fetch".into(), &self.original).unwrap();
    }
}

pub fn fake_api(answers: &[(&str, u16, String)]) -> FakeApi {
    let table = js_sys::Object::new();
    for (key, status, body) in answers {
        let list = js_sys::Reflect::get(&table, &(*key).into()).unwrap();
        let list: js_sys::Array = if list.is_undefined() { js_sys::Array::new() } else { list.unchecked_into() };
        let answer = js_sys::Object::new();
        js_sys::Reflect::set(&answer, &"status".into(), &JsValue::from(*status)).unwrap();
        js_sys::Reflect::set(&answer, &"body".into(), &JsValue::from_str(body)).unwrap();
        list.push(&answer);
        js_sys::Reflect::set(&table, &(*key).into(), &list).unwrap();
    }
    js_sys::Reflect::set(&window(), &"__fakeAnswers".into(), &table).unwrap();
    js_sys::Reflect::set(&window(), &"__fakeAsked".into(), &js_sys::Array::new()).unwrap();
    let fake = js_sys::Function::new_with_args(
        "input, init",
        "const method = (input.method || (init && init.method) || 'GET').toUpperCase();
         const key = method + ' ' + new URL(input.url || input, location.href).pathname;
         window.__fakeAsked.push(key);
         const list = window.__fakeAnswers[key] || [];
         const a = list.length > 1 ? list.shift() : list[0];
         const body = a ? a.body : '{\"code\":\"not_found\",\"message\":\"Not faked.\"}';
         return Promise.resolve(new Response(a && a.status === 204 ? null : body, {status: a ? a.status : 404, headers: {'Content-Type': 'application/json'}}));",
    );
    let original = js_sys::Reflect::get(&window(), &"fetch".into()).unwrap();
    js_sys::Reflect::set(&window(), &"fetch".into(), &fake).unwrap();
    FakeApi { original }
}

pub fn fake_asked() -> Vec<String> {
    let asked: js_sys::Array = js_sys::Reflect::get(&window(), &"__fakeAsked".into()).unwrap().unchecked_into();
    asked.iter().filter_map(|v| v.as_string()).collect()
}

pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

pub fn dialog_titled(root: &Element, title_id: &str) -> HtmlDialogElement {
    root.query_selector(&format!("dialog[aria-labelledby=\"{title_id}\"]"))
        .unwrap()
        .expect("the dialog is there")
        .unchecked_into()
}
