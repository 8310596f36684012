//! The draft of the origins allowed to embed: rows added, removed and edited,
//! each checked as typed with the shared origin rule, the server's errors
//! placed at the row they name, and whether anything is unsaved.

use conduit_types::address::origin;
use conduit_types::developer::{origin_field, origin_list_problems, EmbedOrigins, MAX_ORIGINS};

use crate::api::ApiError;

/// The element id of the `add origin` button.
pub const ADD_ORIGIN_ID: &str = "add-origin";

/// One origin as typed. `id` stays with the row while rows come and go, so
/// the view keeps each input (and what is typed in it) in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginRow {
    pub id: u32,
    pub text: String,
    /// Typed in since it was added or loaded: its problems show as typed.
    touched: bool,
    /// The server's complaint about it, until it is edited.
    refused: Option<String>,
}

/// The element id of a row's input (its error is `{id}-error`).
pub fn input_id(row: u32) -> String {
    format!("origin-{row}")
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OriginsDraft {
    saved: Vec<String>,
    rows: Vec<OriginRow>,
    next: u32,
    /// Saving was tried: every row's problems show, untouched ones too.
    checked: bool,
    saving: bool,
    problem: Option<String>,
    just_saved: bool,
}

impl OriginsDraft {
    pub fn new(saved: Vec<String>) -> Self {
        let mut draft = OriginsDraft::default();
        draft.load(saved);
        draft
    }

    fn load(&mut self, saved: Vec<String>) {
        self.rows = saved.iter().map(|text| self.row(text.clone())).collect();
        self.saved = saved;
        self.checked = false;
    }

    fn row(&mut self, text: String) -> OriginRow {
        self.next += 1;
        OriginRow { id: self.next, text, touched: false, refused: None }
    }

    pub fn rows(&self) -> &[OriginRow] {
        &self.rows
    }

    pub fn can_add(&self) -> bool {
        self.rows.len() < MAX_ORIGINS
    }

    /// Adds an empty row at the end, answering its id (to focus it);
    /// `None` when the list is full.
    pub fn add(&mut self) -> Option<u32> {
        if !self.can_add() {
            return None;
        }
        let row = self.row(String::new());
        let id = row.id;
        self.rows.push(row);
        self.just_saved = false;
        Some(id)
    }

    /// Removes a row, answering the row that takes focus: the next one, else
    /// the one before; `None` when none is left.
    pub fn remove(&mut self, id: u32) -> Option<u32> {
        let at = self.rows.iter().position(|r| r.id == id)?;
        self.rows.remove(at);
        self.just_saved = false;
        self.rows.get(at).or_else(|| at.checked_sub(1).and_then(|i| self.rows.get(i))).map(|r| r.id)
    }

    pub fn edit(&mut self, id: u32, text: String) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.id == id) {
            row.text = text;
            row.touched = true;
            row.refused = None;
            self.just_saved = false;
        }
    }

    /// The error shown at a row: the server's, else the list's rule
    /// (`conduit_types::developer::origin_list_problems`: not an origin, or a
    /// repeat of a row above) once the row was typed in or saving was tried.
    pub fn error(&self, id: u32) -> Option<String> {
        let at = self.rows.iter().position(|r| r.id == id)?;
        let row = &self.rows[at];
        if let Some(refused) = &row.refused {
            return Some(refused.clone());
        }
        if !(row.touched || self.checked) {
            return None;
        }
        let texts: Vec<&str> = self.rows[..=at].iter().map(|r| r.text.as_str()).collect();
        origin_list_problems(&texts).pop().flatten()
    }

    /// The first row showing an error, to take focus.
    pub fn first_error(&self) -> Option<u32> {
        self.rows.iter().map(|r| r.id).find(|&id| self.error(id).is_some())
    }

    /// Whether the list differs from the saved one (each origin compared as
    /// the rule normalises it, so `HTTPS://Portal.example/` is no change).
    pub fn dirty(&self) -> bool {
        let normal = |text: &str| origin(text).unwrap_or_else(|_| text.trim().to_string());
        self.rows.len() != self.saved.len()
            || self.rows.iter().zip(&self.saved).any(|(row, saved)| normal(&row.text) != normal(saved))
    }

    /// The request to send, when every row holds a valid origin and nothing
    /// is in flight; otherwise every row's problems show.
    pub fn submit(&mut self) -> Option<EmbedOrigins> {
        if self.saving {
            return None;
        }
        self.checked = true;
        self.problem = None;
        self.just_saved = false;
        if self.first_error().is_some() {
            return None;
        }
        let origins = self.rows.iter().filter_map(|r| origin(&r.text).ok()).collect();
        self.saving = true;
        Some(EmbedOrigins { origins })
    }

    /// The server saved the list: the rows become what it answered.
    pub fn saved(&mut self, origins: Vec<String>) {
        self.saving = false;
        self.load(origins);
        self.just_saved = true;
    }

    /// Saving failed: nothing typed is lost. The server's errors at
    /// `origins.N` go to row N, answering the first such row (to focus);
    /// anything else is said for the whole list.
    pub fn failed(&mut self, error: &ApiError) -> Option<u32> {
        self.saving = false;
        let mut first = None;
        for (n, row) in self.rows.iter_mut().enumerate() {
            if let Some(message) = error.field_message(&origin_field(n)) {
                row.refused = Some(message.to_string());
                first = first.or(Some(row.id));
            }
        }
        if first.is_none() {
            self.problem = Some(error.to_string());
        }
        first
    }

    pub fn saving(&self) -> bool {
        self.saving
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The list was saved and not changed since.
    pub fn just_saved(&self) -> bool {
        self.just_saved
    }
}

#[cfg(test)]
mod tests;
