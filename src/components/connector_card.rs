use conduit_types::ConnectorSummary;
use leptos::prelude::*;

use crate::components::instance_row::InstanceRow;
use crate::{base_path, paths, text};

/// An installed connector with its instances.
#[component]
pub fn ConnectorCard(connector: ConnectorSummary) -> impl IntoView {
    let heading_id = format!("connector-{}", connector.id);
    let count = text::instance_count(connector.instances.len());
    let instances = if connector.instances.is_empty() {
        view! { <p class="card__empty">"this connector has no instances yet"</p> }.into_any()
    } else {
        let rows = connector
            .instances
            .into_iter()
            .map(|instance| view! { <InstanceRow instance /> })
            .collect_view();
        view! { <ul class="instance-list">{rows}</ul> }.into_any()
    };

    let labelled_by = heading_id.clone();
    let described_by = heading_id.clone();
    let add = base_path::url(&paths::new_instance(connector.id));
    view! {
        <section class="card connector" aria-labelledby=labelled_by>
            <header class="connector__header">
                <span class="avatar" aria-hidden="true">{text::initials(&connector.name)}</span>
                <div>
                    <h2 id=heading_id class="connector__name">{connector.name}</h2>
                    <p class="muted">{count}</p>
                </div>
                <a class="button button--secondary connector__add" href=add aria-describedby=described_by>
                    "add new instance"
                </a>
            </header>
            {instances}
        </section>
    }
}
