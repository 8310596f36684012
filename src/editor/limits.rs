//! What the editor lets an embed session change: the host portal decides
//! which tabs may be edited, and whether testing and authorising are
//! offered. A dashboard user may do everything; the server checks the same
//! rules again on every request.

use std::collections::BTreeSet;

use conduit_types::Permission;

use super::state::Editor;
use crate::tabs::SettingsTab;

impl Editor {
    /// From now on, only what `permissions` allow.
    pub fn limit_to(&mut self, permissions: BTreeSet<Permission>) {
        self.limits = Some(permissions);
    }

    /// Whether the session may do `what` (always, outside an embed session).
    pub fn may(&self, what: Permission) -> bool {
        self.limits.as_ref().is_none_or(|limits| limits.contains(&what))
    }

    /// Whether the fields of `tab` may be changed.
    pub fn may_change(&self, tab: SettingsTab) -> bool {
        self.may(match tab {
            SettingsTab::Details => Permission::EditDetails,
            SettingsTab::Authentication => Permission::EditCredentials,
            SettingsTab::Certificates => Permission::Certificates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::test_support::saved;

    #[test]
    fn a_dashboard_user_may_do_everything_and_a_session_what_it_was_given() {
        let mut editor = Editor::new(saved());
        assert!(SettingsTab::ALL.iter().all(|tab| editor.may_change(*tab)));
        assert!(editor.may(Permission::Test) && editor.may(Permission::Authorise));

        editor.limit_to([Permission::View, Permission::EditDetails, Permission::Test].into());
        assert!(editor.may_change(SettingsTab::Details));
        assert!(!editor.may_change(SettingsTab::Authentication));
        assert!(!editor.may_change(SettingsTab::Certificates));
        assert!(editor.may(Permission::Test) && !editor.may(Permission::Authorise));

        // Starting over from the saved settings keeps the limits.
        let saved = editor.saved().clone();
        editor.reset(saved);
        assert!(!editor.may_change(SettingsTab::Authentication));
    }
}
