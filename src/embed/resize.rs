//! Tells the host the embedded page's height whenever it changes, so the
//! host's iframe grows and shrinks with the content and never shows a
//! second scrollbar. Measures the page's root element (not the document,
//! whose height is at least the iframe's).

use leptos::{html, prelude::*};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::ResizeObserver;

/// Calls `report` with `root`'s height in whole CSS pixels, once it is
/// drawn and after each change.
pub fn report_height(root: NodeRef<html::Div>, report: impl Fn(u32) + 'static) {
    let last = StoredValue::new(0u32);
    let measure = move || {
        let Some(element) = root.get_untracked() else { return };
        let height = element.get_bounding_client_rect().height().ceil().max(0.0) as u32;
        if height != last.get_value() {
            last.set_value(height);
            report(height);
        }
    };
    let callback = Closure::<dyn Fn()>::new(measure);
    let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) else { return };
    let observer = send_wrapper::SendWrapper::new(observer);
    root.on_load(move |element| {
        observer.observe(&element);
        // The observer lives as long as the page; so does its callback.
        callback.forget();
        on_cleanup(move || observer.disconnect());
    });
}
