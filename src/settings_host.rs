//! The page around the instance settings when it is not the dashboard (an
//! embedded page): found in context, it names the settings' addresses,
//! hears the editor once the settings are loaded, and can ask for a save as
//! if `save instance settings` was pressed. The dashboard provides none.

use leptos::prelude::*;

use crate::editor::Editor;
use crate::instance_actions::InstanceActions;

#[derive(Clone, Copy)]
pub struct SettingsHost {
    /// The path the settings' addresses start with (`/embed/3`).
    pub area: StoredValue<String>,
    /// Hears the editor and its actions once the settings are shown.
    pub attach: Callback<(RwSignal<Editor>, InstanceActions)>,
    /// Presses `save instance settings`, once the editor is shown.
    pub save: StoredValue<Option<Callback<()>>>,
}

impl SettingsHost {
    pub fn new(area: String, attach: Callback<(RwSignal<Editor>, InstanceActions)>) -> SettingsHost {
        SettingsHost { area: StoredValue::new(area), attach, save: StoredValue::new(None) }
    }

    /// The host of the settings shown now, if it is not the dashboard.
    pub fn current() -> Option<SettingsHost> {
        use_context::<SettingsHost>()
    }

    /// The area the settings' addresses start with: `""` in the dashboard.
    pub fn area_of(host: Option<SettingsHost>) -> String {
        host.map(|h| h.area.get_value()).unwrap_or_default()
    }

    /// As if `save instance settings` was pressed.
    pub fn press_save(self) {
        if let Some(save) = self.save.get_value() {
            save.run(());
        }
    }
}
