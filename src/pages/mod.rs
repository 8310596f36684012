//! One module per route. Pages fetch through the `ApiClient` in context and
//! hand the data to components.

pub mod connectors;
pub mod developer;
pub mod instance_settings;
pub mod login;
pub mod new_instance;
pub mod not_found;
pub mod process_flow;

use leptos::prelude::*;

/// Keeps the browser tab's title in step with the page, e.g.
/// "manage connectors · conduit".
pub fn use_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        document().set_title(&format!("{} · conduit", title()));
    });
}
