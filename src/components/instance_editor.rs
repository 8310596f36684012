use conduit_types::Timestamp;
use leptos::{html, prelude::*};

use crate::components::action_bar::ActionBar;
use crate::components::confirm_dialog;
use crate::components::authentication_panel::AuthenticationPanel;
use crate::components::certificates_panel::CertificatesPanel;
use crate::components::details_panel::DetailsPanel;
use crate::components::form_field::Form;
use crate::components::save_dialog::SaveDialog;
use crate::components::tabs::{TabSpec, Tabs};
use crate::editor::Editor;
use crate::instance_actions::InstanceActions;
use crate::settings_host::SettingsHost;
use crate::tabs::SettingsTab;

/// The element id of the settings tab panel.
pub const PANEL_ID: &str = "instance-settings-panel";

/// The editable `instance settings`: the three tabs over one draft, and the
/// action bar under every tab. The editor is owned by the caller (the page,
/// above the tabs), so switching tabs keeps every edit; the panels start
/// from the draft each time they are shown. Testing, saving and reloading
/// are the caller's: this view asks for them through `actions` and shows
/// what they write into the editor.
#[component]
pub fn InstanceEditor(
    /// The editor over the draft, and the requests the view can make.
    actions: InstanceActions,
    #[prop(into)] selected: Signal<SettingsTab>,
    /// The time to judge certificate expiry by.
    now: Timestamp,
) -> impl IntoView {
    let editor = actions.editor();
    let form = Form::new(editor);
    let generation = Memo::new(move |_| editor.with(Editor::generation));
    // Saving settings does not change which flows use the instance.
    let flows = editor.with_untracked(|e| e.saved().process_flows.clone());
    let in_use = !flows.is_empty();
    let dialog = NodeRef::<html::Dialog>::new();
    let save_button = NodeRef::<html::Button>::new();

    let tabs = SettingsTab::ALL
        .iter()
        .map(|tab| TabSpec {
            key: tab.slug(),
            label: tab.label(),
        })
        .collect();
    let selected_index = Signal::derive(move || selected.get().index());
    let on_index = Callback::new(move |index: usize| {
        if let Some(tab) = SettingsTab::ALL.get(index) {
            actions.select(*tab);
        }
    });

    let changeable = Memo::new(move |_| editor.with(|e| SettingsTab::ALL.map(|tab| e.may_change(tab))));
    let panel = move || {
        // After a save or reload the fields start over from the new settings.
        // (`get`, not `track`: a memo nobody has read yet is not computed,
        // so tracking it alone would never hear of a change.)
        let _ = generation.get();
        let tab = selected.get();
        let panel = match tab {
            SettingsTab::Details => view! { <DetailsPanel form /> }.into_any(),
            SettingsTab::Authentication => view! { <AuthenticationPanel form /> }.into_any(),
            SettingsTab::Certificates => view! { <CertificatesPanel form actions now /> }.into_any(),
        };
        // What this session may not change shows, but every control in it is off.
        if changeable.get()[tab.index()] {
            panel
        } else {
            view! {
                <p class="panel-note" id="panel-locked">"You can see these settings here, but not change them."</p>
                <fieldset class="panel-locked" disabled aria-describedby="panel-locked">{panel}</fieldset>
            }
            .into_any()
        }
    };

    let ask_to_save = Callback::new(move |()| {
        let ready = editor
            .try_update(|e| e.attempt_save())
            .is_some_and(|r| r.is_ok());
        if !ready {
            return;
        }
        if !in_use {
            actions.ask(|r| r.save());
        } else {
            confirm_dialog::open(dialog, save_button);
        }
    });

    if let Some(host) = SettingsHost::current() {
        host.save.set_value(Some(ask_to_save));
    }

    view! {
        <div class="card settings-card">
            <Tabs
                label="instance settings"
                tabs
                selected=selected_index
                on_select=on_index
                panel_id=PANEL_ID
                marks=Signal::derive(move || editor.with(Editor::tab_marks).to_vec())
            >
                {panel}
            </Tabs>
            <ActionBar form actions on_save=ask_to_save save_button />
        </div>
        <SaveDialog dialog flows on_confirm=Callback::new(move |()| actions.ask(|r| r.save())) return_focus=save_button />
    }
}
