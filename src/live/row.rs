//! A row of `manage connectors` following its instance's live events.

use conduit_types::InstanceSummary;
use leptos::prelude::*;

use super::list::patch;
use super::source::on_instance_event;

/// The row as it is now: patched by every event of its instance (`None`
/// once deleted). Other instances' events do not touch it.
pub fn follow_row(instance: InstanceSummary) -> Signal<Option<InstanceSummary>> {
    let id = instance.id;
    let row = RwSignal::new(Some(instance));
    on_instance_event(move |event| {
        if event.instance == id {
            row.update(|r| *r = r.take().and_then(|current| patch(current, &event)));
        }
    });
    row.into()
}
