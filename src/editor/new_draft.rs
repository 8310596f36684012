//! A new instance's draft (`add new instance`, `duplicate`): edited against
//! blank settings with nothing stored ([`conduit_types::create`]), so every
//! draft changes the connection and needs a passing test, or an
//! authorisation, before it can be created. The page started from a draft
//! of its own (a blank one, or a copy): that is what counts as unchanged
//! and what `discard` returns to.

use conduit_types::create::NewInstanceDraft;
use conduit_types::draft::InstanceDraft;
use conduit_types::{RateLimitUnit, StoredCertificates};

use conduit_types::draft::Section;

use super::places::section_of;
use super::state::Editor;

impl Editor {
    /// An editor over a new instance's draft, against its blank settings.
    /// With `show_problems` (a duplicate, whose secrets must be entered)
    /// every field's problem shows at once.
    pub fn for_new(new: NewInstanceDraft, show_problems: bool) -> Editor {
        let mut editor = Editor::new(new.settings);
        editor.start_new(new.draft, new.certificate);
        editor.attempted = show_problems;
        editor
    }

    /// Whether this is a new instance's draft (nothing is stored yet).
    pub fn is_new(&self) -> bool {
        self.start.is_some()
    }

    /// Starts editing `draft` as the new instance's starting point, its
    /// certificate upload holding `certificate` (a copied CA).
    pub(super) fn start_new(&mut self, draft: InstanceDraft, certificate: Option<StoredCertificates>) {
        let limit = draft.details.rate_limit;
        self.rate_limit_text = limit.map(|l| l.amount.to_string()).unwrap_or_default();
        self.rate_limit_unit = limit.map_or(RateLimitUnit::Minute, |l| l.unit);
        self.draft = draft.clone();
        self.certificate_preview = certificate.clone();
        self.start = Some(Box::new((draft, certificate)));
    }

    /// For a new instance's draft: the parts the user edited since the page
    /// started (everything differs from the blank settings, so what changed
    /// is what was edited). `None` for an instance's settings.
    pub(super) fn new_draft_edits(&self) -> Option<Vec<Section>> {
        let changed = self.new_draft_changed()?;
        Some(if changed { self.touched.iter().map(|field| section_of(field)).collect() } else { vec![] })
    }

    /// For a new instance's draft: whether it differs from where the page
    /// started. `None` for an instance's settings.
    pub(super) fn new_draft_changed(&self) -> Option<bool> {
        self.start.as_ref().map(|start| start.0 != self.draft)
    }
}

#[cfg(test)]
mod tests;
