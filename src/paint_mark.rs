//! Performance marks the benchmark (`scripts/bench.sh`) reads: one once a
//! change to the `manage connectors` list has been painted. A mark costs a
//! few microseconds and is only read by whoever asks the page for it.

/// Marked after the list draws a new answer.
pub const LIST_PAINTED: &str = "conduit:list-painted";

/// Marks `name` once the browser has painted what was just rendered: the
/// next animation frame runs before that paint, a task queued from it
/// after it.
pub fn after_paint(name: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(
            move || {
                if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                    let _ = performance.mark(name);
                }
            },
            std::time::Duration::ZERO,
        );
    });
}
