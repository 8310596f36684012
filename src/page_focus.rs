//! Where keyboard focus goes when a page opens: to the page's heading, so a
//! screen reader announces the new page and the next Tab continues from
//! there (not from wherever the previous page left it).
//!
//! The heading may only appear once the page's data has loaded, so the move
//! is retried for a bounded while; it is given up as soon as the user moves
//! focus themselves.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// How often, and how many times, to look for the heading of a page still
/// loading (about ten seconds in all).
const RETRY: Duration = Duration::from_millis(50);
const TRIES: u32 = 200;

/// Moves focus to `#main`'s `h1` whenever [`crate::paths::page_of`] the
/// current path changes (and when the frame first shows), falling back to
/// `#main` itself when no heading turns up.
pub fn focus_heading_on_navigation(path: Memo<String>) {
    let page = Memo::new(move |_| path.with(|p| crate::paths::page_of(p).to_owned()));
    Effect::new(move |_| {
        page.track();
        let before = document().active_element();
        request_animation_frame(move || try_focus(page.get_untracked(), before, TRIES));
    });
}

fn try_focus(page: String, before: Option<web_sys::Element>, tries: u32) {
    let document = document();
    let Some(main) = document.get_element_by_id("main") else { return };
    // Another page opened since, or the user moved focus: leave it be.
    let current = location_path();
    if crate::paths::page_of(&current) != page {
        return;
    }
    if let Some(active) = document.active_element() {
        let body: Option<web_sys::Node> = document.body().map(Into::into);
        let (main_node, active_node): (&web_sys::Node, &web_sys::Node) = (&main, &active);
        let moved = before.as_ref().is_none_or(|b| !b.is_same_node(Some(active_node)))
            && !active.is_same_node(body.as_ref())
            && !active.is_same_node(Some(main_node))
            && active.is_connected();
        if moved {
            return;
        }
    }
    let heading = main.query_selector("h1").ok().flatten();
    let target = match heading {
        Some(heading) => heading,
        None if tries > 0 => {
            set_timeout(move || try_focus(page, before, tries - 1), RETRY);
            return;
        }
        None => main,
    };
    focus_element(&target);
}

/// Focuses any element, making it focusable by script (not by Tab) first.
pub fn focus_element(element: &web_sys::Element) {
    if !element.has_attribute("tabindex") {
        _ = element.set_attribute("tabindex", "-1");
    }
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        _ = element.focus();
    }
}

fn location_path() -> String {
    window().location().pathname().unwrap_or_default()
}
