//! What `manage connectors` asks `GET /api/connectors` for, as query
//! parameters: a search, a status and a connector filter, and a page. The
//! server parses them with [`ListQuery::parse`]; the dashboard writes them
//! with [`ListQuery::to_pairs`] and keeps [`ListFilter`] in its own URL.
//!
//! - `search`: the search box's text (see [`crate::search`]), at most
//!   [`MAX_SEARCH_CHARS`] characters;
//! - `status`: one status's key ([`InstanceStatus::key`]);
//! - `connector`: one connector's slug;
//! - `limit`: instances per connector and page, 1 to [`MAX_PAGE_SIZE`]
//!   ([`DEFAULT_PAGE_SIZE`] when left out);
//! - `after`: a connector's `next` cursor, for the page after it; only with
//!   `connector`.
//!
//! Other parameters are ignored; each of these may appear once.

use std::fmt;

use crate::list::InstanceStatus;

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;
pub const MAX_SEARCH_CHARS: usize = 200;

/// What narrows the list: the part of a query a page's URL keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// As typed; [`crate::search::needle`] makes it what is compared.
    pub search: String,
    pub status: Option<InstanceStatus>,
    /// A connector's slug.
    pub connector: Option<String>,
}

impl ListFilter {
    /// Whether anything narrows the instances (an empty search does not).
    pub fn narrows(&self) -> bool {
        !self.search.trim().is_empty() || self.status.is_some() || self.connector.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: ListFilter,
    pub limit: u32,
    /// The cursor of the page to continue after.
    pub after: Option<String>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery { filter: ListFilter::default(), limit: DEFAULT_PAGE_SIZE, after: None }
    }
}

/// Why a query cannot be answered, as a sentence (never repeating the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListQueryError {
    PageSize,
    Status,
    SearchTooLong,
    CursorWithoutConnector,
    Repeated(&'static str),
}

impl fmt::Display for ListQueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListQueryError::PageSize => {
                write!(f, "The page size (limit) must be a whole number from 1 to {MAX_PAGE_SIZE}.")
            }
            ListQueryError::Status => {
                let keys: Vec<&str> = InstanceStatus::ALL.iter().map(|s| s.key()).collect();
                write!(f, "The status filter must be one of {}.", keys.join(", "))
            }
            ListQueryError::SearchTooLong => {
                write!(f, "A search can be at most {MAX_SEARCH_CHARS} characters long.")
            }
            ListQueryError::CursorWithoutConnector => {
                write!(f, "A page cursor (after) belongs to one connector; name it with connector.")
            }
            ListQueryError::Repeated(name) => write!(f, "The parameter {name} can be given only once."),
        }
    }
}

impl ListQuery {
    /// Reads a query from its parameters (already percent-decoded).
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<ListQuery, ListQueryError> {
        let filter = ListFilter::parse(pairs)?;
        let limit = match single(pairs, "limit")? {
            None => DEFAULT_PAGE_SIZE,
            Some(text) => match text.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => return Err(ListQueryError::PageSize),
            },
        };
        let after = single(pairs, "after")?.filter(|a| !a.is_empty()).map(str::to_owned);
        if after.is_some() && filter.connector.is_none() {
            return Err(ListQueryError::CursorWithoutConnector);
        }
        Ok(ListQuery { filter, limit, after })
    }

    /// The parameters that say this query, leaving out what is the default.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.filter.to_pairs();
        if self.limit != DEFAULT_PAGE_SIZE {
            pairs.push(("limit", self.limit.to_string()));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.clone()));
        }
        pairs
    }
}

impl ListFilter {
    /// Reads the filter's parameters; `limit` and `after` are left alone.
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<ListFilter, ListQueryError> {
        let search = single(pairs, "search")?.unwrap_or_default().to_owned();
        if search.chars().count() > MAX_SEARCH_CHARS {
            return Err(ListQueryError::SearchTooLong);
        }
        let status = match single(pairs, "status")? {
            None | Some("") => None,
            Some(key) => Some(InstanceStatus::from_key(key).ok_or(ListQueryError::Status)?),
        };
        let connector = single(pairs, "connector")?.filter(|c| !c.is_empty()).map(str::to_owned);
        Ok(ListFilter { search, status, connector })
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.search.trim().is_empty() {
            pairs.push(("search", self.search.clone()));
        }
        if let Some(status) = self.status {
            pairs.push(("status", status.key().to_owned()));
        }
        if let Some(connector) = &self.connector {
            pairs.push(("connector", connector.clone()));
        }
        pairs
    }
}

/// The value of the parameter `name`, if given once; an error if repeated.
fn single<'a, K: AsRef<str>, V: AsRef<str>>(
    pairs: &'a [(K, V)],
    name: &'static str,
) -> Result<Option<&'a str>, ListQueryError> {
    let mut found = pairs.iter().filter(|(k, _)| k.as_ref() == name).map(|(_, v)| v.as_ref());
    let first = found.next();
    if found.next().is_some() {
        return Err(ListQueryError::Repeated(name));
    }
    Ok(first)
}

#[cfg(test)]
mod tests;
