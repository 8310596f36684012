//! Tests of where a field key shows: its tab and its element ids.

use super::*;

#[test]
fn error_keys_map_to_tabs_and_element_ids() {
    assert_eq!(section_of("name"), Section::Details);
    assert_eq!(section_of("variables.store"), Section::Details);
    assert_eq!(section_of("authentication.method"), Section::Authentication);
    assert_eq!(section_of("authentication.token"), Section::Authentication);
    assert_eq!(section_of("certificate"), Section::Certificates);
    assert_eq!(tab_of(Section::Certificates), SettingsTab::Certificates);
    assert_eq!(field_id("variables.store"), "field-variables-store");
    assert_eq!(error_id("name"), "field-name-error");
    assert_eq!(field_id("a b\"c"), "field-a-b-c");
}
