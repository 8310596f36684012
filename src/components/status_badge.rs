use conduit_types::InstanceStatus;
use leptos::prelude::*;

/// An instance's connection status: words first, with a colour and a shape
/// that only repeat them. It follows the status as it changes (after a
/// test of the saved connection).
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<InstanceStatus>) -> impl IntoView {
    let tone = move || match status.get() {
        InstanceStatus::Operational => "badge badge--good",
        InstanceStatus::NotTested => "badge badge--neutral",
        InstanceStatus::NeedsReconnecting | InstanceStatus::CertificateExpiring => "badge badge--warning",
        InstanceStatus::FailedAuthentication | InstanceStatus::Unreachable | InstanceStatus::CertificateExpired => {
            "badge badge--bad"
        }
    };
    view! {
        <span class=tone>
            <span class="badge__dot" aria-hidden="true"></span>
            {move || status.get().label()}
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
