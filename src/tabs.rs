//! The instance settings tabs: which tab a URL slug names, and how the arrow,
//! Home and End keys move the selection (WAI-ARIA tabs pattern, wrapping).

/// The tabs of the `instance settings` page, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SettingsTab {
    Details,
    Authentication,
    Certificates,
}

impl SettingsTab {
    pub const ALL: [SettingsTab; 3] = [
        SettingsTab::Details,
        SettingsTab::Authentication,
        SettingsTab::Certificates,
    ];

    /// The last segment of the tab's URL, e.g. `/instances/7/settings/details`.
    pub fn slug(self) -> &'static str {
        match self {
            SettingsTab::Details => "details",
            SettingsTab::Authentication => "authentication",
            SettingsTab::Certificates => "certificates",
        }
    }

    /// The tab's visible label, in the product's wording.
    pub fn label(self) -> &'static str {
        match self {
            SettingsTab::Details => "instance details",
            SettingsTab::Authentication => "authentication",
            SettingsTab::Certificates => "certificates",
        }
    }

    /// The tab a URL slug names; `None` for anything else (the page then
    /// redirects to the first tab).
    pub fn from_slug(slug: &str) -> Option<SettingsTab> {
        SettingsTab::ALL.into_iter().find(|tab| tab.slug() == slug)
    }

    pub fn index(self) -> usize {
        SettingsTab::ALL
            .iter()
            .position(|tab| *tab == self)
            .unwrap_or(0)
    }
}

/// What a tab says about its panel besides its label: unsaved edits (a dot)
/// and errors to fix (a warning mark). Both are also words for assistive
/// technology, so a tab's accessible name becomes e.g.
/// `authentication (unsaved changes)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TabMark {
    pub unsaved: bool,
    pub errors: bool,
}

impl TabMark {
    /// The words after the tab's label; empty when there is nothing to say.
    pub fn suffix(self) -> &'static str {
        match (self.unsaved, self.errors) {
            (false, false) => "",
            (true, false) => " (unsaved changes)",
            (false, true) => " (fields to fix)",
            (true, true) => " (unsaved changes, fields to fix)",
        }
    }
}

/// A key that moves the selection within a tab list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabMove {
    Next,
    Previous,
    First,
    Last,
}

impl TabMove {
    /// The move a `KeyboardEvent.key` value asks for in a horizontal tab list,
    /// or `None` for keys the tab list leaves alone (Tab, Enter, letters, …).
    pub fn from_key(key: &str) -> Option<TabMove> {
        match key {
            "ArrowRight" => Some(TabMove::Next),
            "ArrowLeft" => Some(TabMove::Previous),
            "Home" => Some(TabMove::First),
            "End" => Some(TabMove::Last),
            _ => None,
        }
    }

    /// The index selected after this move from `current` in a list of `len`
    /// tabs. Next and Previous wrap around at the ends. An empty list stays at 0.
    pub fn apply(self, current: usize, len: usize) -> usize {
        if len == 0 {
            return 0;
        }
        let current = current.min(len - 1);
        match self {
            TabMove::Next => (current + 1) % len,
            TabMove::Previous => (current + len - 1) % len,
            TabMove::First => 0,
            TabMove::Last => len - 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tab_reads_back_from_its_own_slug() {
        for tab in SettingsTab::ALL {
            assert_eq!(SettingsTab::from_slug(tab.slug()), Some(tab));
        }
    }

    #[test]
    fn slugs_and_labels_use_the_product_wording() {
        let slugs: Vec<_> = SettingsTab::ALL.iter().map(|t| t.slug()).collect();
        let labels: Vec<_> = SettingsTab::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(slugs, ["details", "authentication", "certificates"]);
        assert_eq!(
            labels,
            ["instance details", "authentication", "certificates"]
        );
    }

    #[test]
    fn unknown_or_differently_cased_slugs_name_no_tab() {
        for slug in ["", "Details", "instance details", "certificate", "details/"] {
            assert_eq!(SettingsTab::from_slug(slug), None, "{slug:?}");
        }
    }

    #[test]
    fn index_follows_the_display_order() {
        assert_eq!(SettingsTab::Details.index(), 0);
        assert_eq!(SettingsTab::Authentication.index(), 1);
        assert_eq!(SettingsTab::Certificates.index(), 2);
    }

    #[test]
    fn tab_marks_become_words_after_the_label() {
        let mark = |unsaved, errors| TabMark { unsaved, errors }.suffix();
        assert_eq!(mark(false, false), "");
        assert_eq!(mark(true, false), " (unsaved changes)");
        assert_eq!(mark(false, true), " (fields to fix)");
        assert_eq!(mark(true, true), " (unsaved changes, fields to fix)");
    }

    #[test]
    fn arrows_home_and_end_are_the_only_keys_that_move() {
        assert_eq!(TabMove::from_key("ArrowRight"), Some(TabMove::Next));
        assert_eq!(TabMove::from_key("ArrowLeft"), Some(TabMove::Previous));
        assert_eq!(TabMove::from_key("Home"), Some(TabMove::First));
        assert_eq!(TabMove::from_key("End"), Some(TabMove::Last));
        for key in ["Tab", "Enter", " ", "ArrowUp", "ArrowDown", "a"] {
            assert_eq!(TabMove::from_key(key), None, "{key:?}");
        }
    }

    #[test]
    fn next_and_previous_step_one_and_wrap_at_the_ends() {
        assert_eq!(TabMove::Next.apply(0, 3), 1);
        assert_eq!(TabMove::Next.apply(1, 3), 2);
        assert_eq!(TabMove::Next.apply(2, 3), 0);
        assert_eq!(TabMove::Previous.apply(2, 3), 1);
        assert_eq!(TabMove::Previous.apply(1, 3), 0);
        assert_eq!(TabMove::Previous.apply(0, 3), 2);
    }

    #[test]
    fn home_and_end_go_to_the_first_and_last_tab() {
        for current in 0..3 {
            assert_eq!(TabMove::First.apply(current, 3), 0);
            assert_eq!(TabMove::Last.apply(current, 3), 2);
        }
    }

    #[test]
    fn moves_are_safe_on_degenerate_lists() {
        for mv in [
            TabMove::Next,
            TabMove::Previous,
            TabMove::First,
            TabMove::Last,
        ] {
            assert_eq!(mv.apply(0, 0), 0);
            assert_eq!(mv.apply(0, 1), 0);
        }
        // An out-of-range current index is treated as the last tab.
        assert_eq!(TabMove::Next.apply(9, 3), 0);
    }
}
