use conduit_types::InstanceStatus;
use leptos::prelude::*;

/// An instance's connection status: words first, with a colour and a shape
/// that only repeat them.
#[component]
pub fn StatusBadge(status: InstanceStatus) -> impl IntoView {
    let tone = match status {
        InstanceStatus::Operational => "good",
        InstanceStatus::NotTested => "neutral",
        InstanceStatus::NeedsReconnecting => "warning",
        InstanceStatus::FailedAuthentication | InstanceStatus::Unreachable => "bad",
    };
    view! {
        <span class=format!("badge badge--{tone}")>
            <span class="badge__dot" aria-hidden="true"></span>
            {status.label()}
        </span>
    }
}

/// A small badge with words and a tone (`good`, `neutral`, `warning`, `bad`).
#[component]
pub fn Badge(tone: &'static str, #[prop(into)] text: String) -> impl IntoView {
    view! {
        <span class=format!("badge badge--{tone}")>
            <span class="badge__dot" aria-hidden="true"></span>
            {text}
        </span>
    }
}
