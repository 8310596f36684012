use conduit_types::{ConnectorSummary, Id};
use leptos::prelude::*;

use crate::components::instance_row::InstanceRow;
use crate::{base_path, filter, paths, text};

/// An installed connector with one page (or more) of its instances, how
/// many it shows of how many, and `load more` while more match.
#[component]
pub fn ConnectorCard(
    connector: ConnectorSummary,
    /// Asks for the card's next page; without it the card offers none.
    #[prop(optional)]
    on_more: Option<Callback<Id>>,
    /// The next page is on its way.
    #[prop(into, default = Signal::stored(false))]
    loading_more: Signal<bool>,
) -> impl IntoView {
    let heading_id = format!("connector-{}", connector.id);
    let count = text::instance_count(connector.instance_count.max(connector.instances.len() as u32) as usize);
    let shown = filter::shown_count(&connector);
    let more = connector.next.is_some().then_some(()).and(on_more);
    let id = connector.id;
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
    let shown_id = format!("connector-{id}-shown");
    let footer = (!shown.is_empty()).then(|| {
        let button = more.map(|on_more| {
            view! {
                <button
                    type="button"
                    id=filter::more_button_id(id)
                    class="button button--secondary"
                    aria-describedby=shown_id.clone()
                    aria-disabled=move || loading_more.get().to_string()
                    on:click=move |_| {
                        if !loading_more.get_untracked() {
                            on_more.run(id)
                        }
                    }
                >
                    {move || if loading_more.get() { "loading more…" } else { "load more" }}
                </button>
            }
        });
        view! {
            <div class="connector__more">
                <p class="muted" id=shown_id.clone()>{shown}</p>
                {button}
            </div>
        }
    });

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
            {footer}
        </section>
    }
}
