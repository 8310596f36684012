//! Inline SVG icons. They are decoration: the control that holds one names
//! itself (`aria-label` or visible text), so every icon is `aria-hidden`.

use leptos::prelude::*;

#[component]
pub fn CogIcon() -> impl IntoView {
    let d = "M10.3 3h3.4l.5 2.4a7 7 0 0 1 1.7 1l2.3-.8 1.7 2.9-1.8 1.6a7 7 0 0 1 0 1.9l1.8 1.6-1.7 2.9-2.3-.8a7 7 0 0 1-1.7 1l-.5 2.4h-3.4l-.5-2.4a7 7 0 0 1-1.7-1l-2.3.8-1.7-2.9 1.8-1.6a7 7 0 0 1 0-1.9L4.1 9.5l1.7-2.9 2.3.8a7 7 0 0 1 1.7-1z";
    icon(
        "20",
        view! {
            <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d=d />
            <circle cx="12" cy="12" r="2.8" fill="none" stroke="currentColor" stroke-width="1.8" />
        },
    )
}

#[component]
pub fn SearchIcon() -> impl IntoView {
    icon(
        "18",
        view! {
            <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="M16 16l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        },
    )
}

#[component]
pub fn ChevronDownIcon() -> impl IntoView {
    let line = view! {
        <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    };
    icon("16", line)
}

/// The frame every icon is drawn in: 24 units square, shown `size` pixels
/// square, hidden from assistive technology and from the tab order.
fn icon(size: &'static str, drawing: impl IntoView) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            {drawing}
        </svg>
    }
}

/// The product mark: two linked nodes.
#[component]
pub fn LogoMark() -> impl IntoView {
    view! {
        <svg class="logo-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <circle cx="11" cy="16" r="4" fill="none" stroke="var(--color-on-brand)" stroke-width="2.5" />
            <circle cx="21" cy="16" r="4" fill="none" stroke="var(--color-on-brand)" stroke-width="2.5" />
        </svg>
    }
}
