use conduit_types::ProcessFlowRef;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::status_badge::Badge;
use crate::{paths, text};

/// Which process flows use an instance; changes to it reach all of them.
/// With `links`, each flow's name leads to its page (its runs).
#[component]
pub fn ProcessFlowsCard(flows: Vec<ProcessFlowRef>, #[prop(optional)] links: bool) -> impl IntoView {
    let count = text::process_flow_usage(flows.len() as u32);
    let list = (!flows.is_empty()).then(|| view! { <FlowList flows links /> });
    view! {
        <section class="card side-card" aria-labelledby="flows-heading">
            <h2 id="flows-heading" class="side-card__title">"process flows"</h2>
            <p class="muted">{count}</p>
            {list}
        </section>
    }
}

/// Process flows with whether each is enabled, as a list; with `links`,
/// each name leads to the flow's page.
#[component]
pub fn FlowList(flows: Vec<ProcessFlowRef>, #[prop(optional)] links: bool) -> impl IntoView {
    let items = flows
        .into_iter()
        .map(|flow| {
            let (tone, state) = if flow.enabled {
                ("good", "enabled")
            } else {
                ("neutral", "disabled")
            };
            let name = if links {
                view! { <A href=paths::process_flow(flow.id)>{flow.name}</A> }.into_any()
            } else {
                flow.name.into_any()
            };
            view! {
                <li class="flow">
                    <span class="flow__name">{name}</span>
                    " "
                    <Badge tone text=state />
                </li>
            }
        })
        .collect_view();
    view! { <ul class="flow-list">{items}</ul> }
}
