use conduit_types::ProcessFlowRef;
use leptos::{html, prelude::*};

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::process_flows_card::FlowList;

/// The question before saving an instance that process flows use: which
/// flows (enabled or not), and that the change reaches them at once. A
/// native modal `<dialog>`: the caller opens it with `showModal()`; Escape
/// or `keep editing` closes it, `save now` closes it and saves. Focus goes
/// back to `return_focus` however it closes.
#[component]
pub fn SaveDialog(
    dialog: NodeRef<html::Dialog>,
    flows: Vec<ProcessFlowRef>,
    on_confirm: Callback<()>,
    return_focus: NodeRef<html::Button>,
) -> impl IntoView {
    view! {
        <ConfirmDialog
            dialog
            return_focus
            id="save-dialog"
            title="save instance settings?"
            text="These process flows use this instance. The change takes effect in them at once, whether they are enabled or not."
            confirm="save now"
            on_confirm
        >
            <FlowList flows />
        </ConfirmDialog>
    }
}
