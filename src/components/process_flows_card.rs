use conduit_types::ProcessFlowRef;
use leptos::prelude::*;

use crate::components::status_badge::Badge;
use crate::text;

/// Which process flows use an instance; changes to it reach all of them.
#[component]
pub fn ProcessFlowsCard(flows: Vec<ProcessFlowRef>) -> impl IntoView {
    let count = text::process_flow_usage(flows.len() as u32);
    let list = (!flows.is_empty()).then(|| view! { <FlowList flows /> });
    view! {
        <section class="card side-card" aria-labelledby="flows-heading">
            <h2 id="flows-heading" class="side-card__title">"process flows"</h2>
            <p class="muted">{count}</p>
            {list}
        </section>
    }
}

/// Process flows with whether each is enabled, as a list.
#[component]
pub fn FlowList(flows: Vec<ProcessFlowRef>) -> impl IntoView {
    let items = flows
        .into_iter()
        .map(|flow| {
            let (tone, state) = if flow.enabled {
                ("good", "enabled")
            } else {
                ("neutral", "disabled")
            };
            view! {
                <li class="flow">
                    <span class="flow__name">{flow.name}</span>
                    " "
                    <Badge tone text=state />
                </li>
            }
        })
        .collect_view();
    view! { <ul class="flow-list">{items}</ul> }
}
