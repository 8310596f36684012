//! The `manage connectors` search rule, in one place for the server (which
//! searches) and the dashboard (which says what a search kept):
//!
//! - the query and names are compared ignoring case and the query's
//!   surrounding spaces, a name matching when it contains the query;
//! - a connector whose name matches keeps all of its instances;
//! - otherwise it keeps only the instances whose names match;
//! - an empty query keeps everything.
//!
//! The server stores each instance's [`search_key`] beside its name, so the
//! database compares exactly what this module would.

/// The form of a name that searches compare: lower case, as Unicode says.
pub fn search_key(name: &str) -> String {
    name.to_lowercase()
}

/// A typed query as the search compares it: without surrounding spaces, in
/// lower case. Empty when the query keeps everything.
pub fn needle(query: &str) -> String {
    search_key(query.trim())
}

/// Whether `name` matches `needle` (a [`needle`], not empty).
pub fn name_matches(name: &str, needle: &str) -> bool {
    search_key(name).contains(needle)
}

/// Whether a search for `needle` filters the instances of the connector
/// called `connector_name`: not when the query is empty or the connector's
/// own name matches (then all of its instances are kept).
pub fn filters_instances(connector_name: &str, needle: &str) -> bool {
    !needle.is_empty() && !name_matches(connector_name, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_ignores_case_and_surrounding_spaces() {
        assert_eq!(needle("  NetSuite "), "netsuite");
        assert!(name_matches("NetSuite production", &needle(" SUITE")));
        assert!(!name_matches("Shopify - UK", &needle("eu")));
    }

    #[test]
    fn case_is_ignored_beyond_ascii() {
        assert!(name_matches("ÉCOLE Süd", &needle("école süd")));
    }

    #[test]
    fn a_matching_connector_name_keeps_all_instances() {
        assert!(!filters_instances("NetSuite", "netsuite"));
        assert!(filters_instances("NetSuite", "uk"));
        assert!(!filters_instances("NetSuite", ""));
    }
}
