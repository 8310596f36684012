//! The `manage connectors` list's rules, apart from its components: the
//! filter kept in the page's address, which answers may change what is shown
//! (an older answer never overwrites a newer one), how a page fetched by
//! `load more` joins its card, and the words that count what is shown. The
//! search itself runs on the server (the rule is `conduit_types::search`).

use conduit_types::{ConnectorSummary, Id, InstanceStatus, ListFilter};

/// The filter an address's query says, forgiving what it cannot read (an
/// edited or outdated link shows the whole list rather than an error).
pub fn filter_from_query(search: Option<String>, status: Option<String>, connector: Option<String>) -> ListFilter {
    ListFilter {
        search: search.unwrap_or_default(),
        status: status.as_deref().and_then(InstanceStatus::from_key),
        connector: connector.filter(|c| !c.is_empty()),
    }
}

/// `?name=value&…` with names and values percent-encoded; empty for none.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    format!("?{}", joined.join("&"))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Whether moving from filter `from` to `to` should be a new history entry
/// (a different status or connector) or replace the current one (typing in
/// the search box, so `back` does not undo it a letter at a time).
pub fn is_new_entry(from: &ListFilter, to: &ListFilter) -> bool {
    from.status != to.status || from.connector != to.connector
}

/// Numbers the list's requests; only the answer to the newest one may
/// change what the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Latest {
    issued: u64,
}

impl Latest {
    /// A new request's ticket; every earlier ticket is now stale.
    pub fn issue(&mut self) -> u64 {
        self.issued += 1;
        self.issued
    }

    /// The newest ticket: a request that belongs with it (`load more` on
    /// what it fetched) takes it too.
    pub fn current(&self) -> u64 {
        self.issued
    }

    pub fn is_current(&self, ticket: u64) -> bool {
        ticket == self.issued
    }
}

/// Adds `page` (the answer for the instances after cursor `after`) to its
/// card in `cards`; the index of its first new row there. `None`, changing
/// nothing, when the card no longer continues at `after` (the page was
/// already added, or the list was fetched afresh meanwhile).
pub fn append_page(cards: &mut [ConnectorSummary], page: ConnectorSummary, after: &str) -> Option<usize> {
    let card = cards.iter_mut().find(|c| c.id == page.id)?;
    if card.next.as_deref() != Some(after) {
        return None;
    }
    let first_new = card.instances.len();
    card.instances.extend(page.instances);
    card.next = page.next;
    card.matching_count = page.matching_count;
    card.instance_count = page.instance_count;
    Some(first_new)
}

/// How many rows the largest card shows: a reload asks for as many, so it
/// does not take back what `load more` added (within the page-size limit).
pub fn rows_to_keep(cards: &[ConnectorSummary]) -> u32 {
    let most = cards.iter().map(|c| c.instances.len()).max().unwrap_or(0) as u32;
    most.clamp(conduit_types::list_query::DEFAULT_PAGE_SIZE, conduit_types::list_query::MAX_PAGE_SIZE)
}

/// The id of instance `id`'s row on the list (focus moves there after `load more`).
pub fn row_id(id: Id) -> String {
    format!("instance-{id}")
}

/// The id of card `id`'s `load more` button.
pub fn more_button_id(id: Id) -> String {
    format!("connector-{id}-more")
}

/// `4,000`: a count with thousands separated.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A card's count line: `showing 25 of 4,000`, or under a filter
/// `showing 3 of 120 matching (4,000 in all)`; empty when it shows them all
/// and nothing narrows it.
pub fn shown_count(card: &ConnectorSummary) -> String {
    let shown = card.instances.len() as u32;
    if card.matching_count == card.instance_count {
        if shown == card.instance_count {
            String::new()
        } else {
            format!("showing {} of {}", thousands(shown), thousands(card.instance_count))
        }
    } else {
        format!(
            "showing {} of {} matching ({} in all)",
            thousands(shown),
            thousands(card.matching_count),
            thousands(card.instance_count)
        )
    }
}

/// What the list's status line announces after a change: nothing while
/// nothing narrows it, otherwise how many instances in how many connectors
/// match.
pub fn summary(cards: &[ConnectorSummary], filter: &ListFilter) -> String {
    if !filter.narrows() {
        return String::new();
    }
    let instances: u32 = cards.iter().map(|c| c.matching_count).sum();
    match (instances, cards.len()) {
        (_, 0) => "nothing matches".to_string(),
        (i, 1) => format!("{} in 1 connector {}", instances_in_words(i), verb(i)),
        (i, c) => format!("{} in {c} connectors {}", instances_in_words(i), verb(i)),
    }
}

fn instances_in_words(count: u32) -> String {
    match count {
        1 => "1 instance".to_string(),
        n => format!("{} instances", thousands(n)),
    }
}

fn verb(count: u32) -> &'static str {
    if count == 1 { "matches" } else { "match" }
}

#[cfg(test)]
mod tests;
