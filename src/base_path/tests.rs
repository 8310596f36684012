//! Tests of reading the base path and putting it on and off paths.

use super::*;

#[test]
fn the_base_path_is_the_base_elements_path_without_its_slash() {
    assert_eq!(from_base_href(Some("/conduit/")), "/conduit");
    assert_eq!(from_base_href(Some("/tools/conduit/")), "/tools/conduit");
    assert_eq!(from_base_href(Some("https://portal.example/conduit/")), "/conduit");
    for root in [None, Some("/"), Some(""), Some("https://portal.example"), Some("./"), Some("//other.example/x/")] {
        assert_eq!(from_base_href(root), "", "{root:?}");
    }
}

#[test]
fn paths_go_under_the_base_and_come_back_from_it() {
    assert_eq!(under("/conduit", "/api/me"), "/conduit/api/me");
    assert_eq!(under("", "/api/me"), "/api/me");
    assert_eq!(within("/conduit", "/conduit/instances/7/settings/details"), "/instances/7/settings/details");
    assert_eq!(within("/conduit", "/conduit"), "/");
    assert_eq!(within("/conduit", "/conduitx/connectors"), "/conduitx/connectors");
    assert_eq!(within("/conduit", "/connectors"), "/connectors");
    assert_eq!(within("", "/connectors"), "/connectors");
    // Outside a browser the dashboard is at the root.
    assert_eq!((base(), url("/api/me"), app_path("/connectors")), ("", "/api/me".to_owned(), "/connectors"));
}
