//! After a conflict, and discarding: loading the saved settings again (with
//! the draft's edits re-applied on top, when asked), and `discard changes`.

use conduit_types::InstanceSettings;

use super::state::{Activity, Authorising, Editor, Notice};
use crate::api::ApiError;

impl Editor {
    /// After a conflict: the fields the draft changed that the other saves
    /// changed too (empty when the edits are to other fields).
    pub fn conflict_clashes(&self) -> Vec<String> {
        self.conflict_notice()
            .map(|c| crate::conflict::clashes(&self.saved, &self.draft, &c.changed))
            .unwrap_or_default()
    }

    /// `re-apply my changes`: the next saved settings loaded (see
    /// [`Editor::reloaded`]) get the draft's edits on top.
    pub fn want_reapply(&mut self) {
        if let Some(Notice::Conflict(conflict)) = &mut self.notice {
            conflict.reapply = true;
        }
    }

    /// The saved settings, loaded again: after `re-apply my changes` the
    /// draft's edits go on top of them (and need a new test if they touch
    /// the connection, as any edit does); otherwise the draft starts over
    /// from them.
    pub fn reloaded(&mut self, theirs: InstanceSettings) {
        if !self.conflict_notice().is_some_and(|c| c.reapply) {
            return self.reset(theirs);
        }
        let draft = crate::conflict::rebase(&self.saved, &self.draft, &theirs);
        let rate_limit_mine = self.rate_limit_bad || self.draft.details.rate_limit != self.saved.details.rate_limit;
        let rate_limit = (self.rate_limit_text.clone(), self.rate_limit_unit, self.rate_limit_bad);
        let form = std::mem::take(&mut self.certificate_form);
        let preview = self.certificate_preview.take();
        let touched = std::mem::take(&mut self.touched);
        self.reset(theirs);
        self.draft = draft;
        if rate_limit_mine {
            (self.rate_limit_text, self.rate_limit_unit, self.rate_limit_bad) = rate_limit;
        }
        self.certificate_form = form;
        self.certificate_preview = preview;
        self.touched = touched;
    }

    /// Loading the saved settings again failed.
    pub fn reload_failed(&mut self, error: &ApiError) {
        let sentence = format!("The saved settings could not be loaded. {error}");
        match &mut self.notice {
            Some(Notice::Conflict(conflict)) => conflict.reload_problem = Some(sentence),
            notice => *notice = Some(Notice::Problem(sentence)),
        }
    }

    /// `discard changes`: the draft returns to the saved settings, and
    /// everything about it goes (errors, test results and receipts, the
    /// upload form, authorising). Returns an authorisation the server still
    /// holds for the dropped draft, to cancel there. Nothing happens while
    /// a test, save or authorisation is under way.
    pub fn discard(&mut self) -> Option<String> {
        if self.activity != Activity::Idle {
            return None;
        }
        let authorisation = match &self.authorising {
            Some(Authorising::Authorised { id, .. }) => Some(id.clone()),
            _ => None,
        };
        let start = self.start.take();
        self.reset(self.saved.clone());
        if let Some(start) = start {
            let (draft, certificate) = *start;
            self.start_new(draft, certificate);
        }
        authorisation
    }
}

#[cfg(test)]
mod tests;
