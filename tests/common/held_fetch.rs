//! A fake `fetch` that holds every request until the test answers it, so a
//! test decides in which order answers arrive (an older one after a newer
//! one) and can see which requests were aborted.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Puts the browser's `fetch` back when dropped.
pub struct HeldFetch {
    original: JsValue,
}

impl Drop for HeldFetch {
    fn drop(&mut self) {
        js_sys::Reflect::set(&window(), &"fetch".into(), &self.original).unwrap();
    }
}

pub fn hold_fetch() -> HeldFetch {
    js_sys::Reflect::set(&window(), &"__held".into(), &js_sys::Array::new()).unwrap();
    let fake = js_sys::Function::new_with_args(
        "input, init",
        "const url = new URL(input.url || input, location.href);
         const signal = input.signal || (init && init.signal);
         return new Promise((resolve) => {
           window.__held.push({url: url.pathname + url.search, resolve, signal, answered: false});
         });",
    );
    let original = js_sys::Reflect::get(&window(), &"fetch".into()).unwrap();
    js_sys::Reflect::set(&window(), &"fetch".into(), &fake).unwrap();
    HeldFetch { original }
}

fn held() -> Vec<JsValue> {
    let list: js_sys::Array = js_sys::Reflect::get(&window(), &"__held".into()).unwrap().unchecked_into();
    list.iter().collect()
}

fn field(entry: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(entry, &name.into()).unwrap()
}

/// Every request so far, as `/path?query`, in the order they were sent.
pub fn requested() -> Vec<String> {
    held().iter().map(|e| field(e, "url").as_string().unwrap()).collect()
}

/// Whether request `index` was aborted by the page.
pub fn aborted(index: usize) -> bool {
    let signal = field(&held()[index], "signal");
    !signal.is_undefined() && !signal.is_null() && field(&signal, "aborted").as_bool().unwrap_or(false)
}

/// Answers request `index` with `body` as JSON and status 200.
pub fn answer(index: usize, body: &str) {
    let entry = &held()[index];
    let response = js_sys::Function::new_with_args(
        "body",
        "return new Response(body, {status: 200, headers: {'Content-Type': 'application/json'}});",
    )
    .call1(&JsValue::NULL, &JsValue::from_str(body))
    .unwrap();
    let resolve: js_sys::Function = field(entry, "resolve").unchecked_into();
    resolve.call1(&JsValue::NULL, &response).unwrap();
    js_sys::Reflect::set(entry, &"answered".into(), &JsValue::TRUE).unwrap();
}

/// Waits for request number `index` (counting from 0) and returns its address.
pub async fn request(index: usize) -> String {
    super::wait_for(&format!("request {index}"), || requested().len() > index).await;
    requested()[index].clone()
}
