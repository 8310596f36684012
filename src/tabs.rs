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
mod tests;
