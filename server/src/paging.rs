//! How `manage connectors` pages through a connector's instances: in a
//! stable order, by search key (the name in lower case) and then id, so
//! instances with the same name keep their order and a page boundary
//! between them loses or repeats none. A page continues after the last
//! row of the one before it (keyset paging), which stays right while
//! instances are added or removed elsewhere in the list.

use conduit_types::Id;

/// Where a page ends: the last row's search key and id. On the wire it is
/// `<id>:<search key>` (the key may itself contain colons).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: Id,
}

/// A cursor that no page of this list handed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("The page cursor (after) is not one this list gave out; start again from the first page.")]
pub struct BadCursor;

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}:{}", self.id, self.key)
    }

    pub fn decode(text: &str) -> Result<Cursor, BadCursor> {
        let (id, key) = text.split_once(':').ok_or(BadCursor)?;
        let id: Id = id.parse().map_err(|_| BadCursor)?;
        if id <= 0 {
            return Err(BadCursor);
        }
        Ok(Cursor { key: key.to_owned(), id })
    }
}

/// A page read with one row more than it shows: the rows to show, and the
/// cursor of the next page when the extra row says there is one.
pub fn split_page<T>(mut rows: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> (Vec<T>, Option<String>) {
    let limit = limit as usize;
    if rows.len() <= limit {
        return (rows, None);
    }
    rows.truncate(limit);
    let next = rows.last().map(|last| cursor_of(last).encode());
    (rows, next)
}

/// A `LIKE` pattern (with `ESCAPE '\'`) matching text that contains `needle`.
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_even_when_the_key_has_colons() {
        let cursor = Cursor { key: "shop: uk:2".into(), id: 42 };
        assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn a_cursor_of_another_shape_is_refused() {
        for bad in ["", "42", "x:name", "-1:name", "0:name", ":name"] {
            assert_eq!(Cursor::decode(bad), Err(BadCursor), "{bad}");
        }
        assert!(!BadCursor.to_string().contains("name"));
    }

    fn key(n: &i64) -> Cursor {
        Cursor { key: "same".into(), id: *n }
    }

    #[test]
    fn the_extra_row_makes_the_next_cursor_from_the_last_row_shown() {
        let (rows, next) = split_page(vec![1, 2, 3], 2, key);
        assert_eq!(rows, [1, 2]);
        assert_eq!(next.as_deref(), Some("2:same"));
        let (rows, next) = split_page(vec![1, 2], 2, key);
        assert_eq!(rows, [1, 2]);
        assert_eq!(next, None);
        assert_eq!(split_page(Vec::<i64>::new(), 2, key), (vec![], None));
    }

    #[test]
    fn paging_through_colliding_names_sees_every_row_once() {
        // Rows ordered by (key, id), many sharing a key: each page continues
        // strictly after the previous one's last (key, id).
        let mut all: Vec<(String, i64)> = (1..=23).map(|id| (format!("name {}", id % 3), id)).collect();
        all.sort();
        let mut seen = Vec::new();
        let mut after: Option<Cursor> = None;
        loop {
            let rest: Vec<_> = all
                .iter()
                .filter(|(k, id)| after.as_ref().is_none_or(|c| (k.as_str(), *id) > (c.key.as_str(), c.id)))
                .take(6)
                .cloned()
                .collect();
            let (page, next) = split_page(rest, 5, |(k, id)| Cursor { key: k.clone(), id: *id });
            seen.extend(page);
            match next {
                Some(text) => after = Some(Cursor::decode(&text).unwrap()),
                None => break,
            }
        }
        assert_eq!(seen, all);
    }

    #[test]
    fn like_wildcards_in_the_needle_match_only_themselves() {
        assert_eq!(contains_pattern("uk"), "%uk%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
