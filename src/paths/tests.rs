//! Tests of the dashboard's own addresses and of the sign-in page's `?next=` check.

use super::*;

#[test]
fn the_tabs_of_one_instances_settings_are_one_page() {
    assert_eq!(page_of("/instances/3/settings/details"), "/instances/3/settings");
    assert_eq!(page_of("/instances/3/settings/certificates"), "/instances/3/settings");
    assert_eq!(page_of("/instances/3/settings"), "/instances/3/settings");
    assert_ne!(page_of("/instances/4/settings/details"), page_of("/instances/3/settings/details"));
    assert_eq!(page_of("/connectors"), "/connectors");
    assert_eq!(page_of("/instances/3/settingsx"), "/instances/3/settingsx");
    assert_eq!(page_of("/instances/3"), "/instances/3");
}

#[test]
fn instance_settings_paths_name_the_tab_by_its_slug() {
    assert_eq!(
        instance_settings(7, SettingsTab::Details),
        "/instances/7/settings/details"
    );
    assert_eq!(
        instance_settings(12, SettingsTab::Certificates),
        "/instances/12/settings/certificates"
    );
}

#[test]
fn only_this_instances_settings_tabs_count_as_staying() {
    assert!(within_instance_settings(7, "/instances/7/settings"));
    assert!(within_instance_settings(
        7,
        "/instances/7/settings/authentication"
    ));
    assert!(!within_instance_settings(
        7,
        "/instances/70/settings/details"
    ));
    assert!(!within_instance_settings(
        7,
        "/instances/8/settings/details"
    ));
    assert!(!within_instance_settings(7, "/instances/7/settingsx"));
    assert!(!within_instance_settings(7, "/connectors"));
    assert!(!within_instance_settings(7, "/"));
}

#[test]
fn an_embedded_pages_tabs_count_as_staying_too() {
    assert_eq!(instance_settings_in(&embed_area(3), 7, SettingsTab::Authentication), "/embed/3/instances/7/settings/authentication");
    assert!(within_instance_settings(7, "/embed/3/instances/7/settings/details"));
    assert!(!within_instance_settings(7, "/embed/3/instances/8/settings/details"));
    assert!(!within_instance_settings(7, "/embed/x/instances/7/settings/details"));
    assert!(!within_instance_settings(7, "/embed//instances/7/settings/details"));
}

#[test]
fn full_paths_put_back_the_question_mark() {
    assert_eq!(full_path("/connectors", "", ""), "/connectors");
    assert_eq!(full_path("/connectors", "q=uk", ""), "/connectors?q=uk");
    assert_eq!(full_path("/a", "x=1", "#top"), "/a?x=1#top");
}

#[test]
fn a_path_on_this_site_is_followed() {
    assert_eq!(
        after_sign_in(Some("/instances/7/settings/authentication")),
        "/instances/7/settings/authentication"
    );
    assert_eq!(
        after_sign_in(Some("/connectors?q=shop")),
        "/connectors?q=shop"
    );
}

#[test]
fn no_next_or_an_empty_one_goes_home() {
    assert_eq!(after_sign_in(None), HOME);
    assert_eq!(after_sign_in(Some("")), HOME);
}

#[test]
fn other_sites_are_refused() {
    for next in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "connectors",
    ] {
        assert_eq!(after_sign_in(Some(next)), HOME, "{next:?}");
    }
}

#[test]
fn the_sign_in_page_itself_is_not_a_destination() {
    assert_eq!(after_sign_in(Some("/login")), HOME);
    assert_eq!(after_sign_in(Some("/login?next=/connectors")), HOME);
}

#[test]
fn login_href_carries_the_current_path_encoded() {
    assert_eq!(
        login_href("/instances/7/settings/details"),
        "/login?next=/instances/7/settings/details"
    );
    assert_eq!(
        login_href("/connectors?q=uk&x=1"),
        "/login?next=/connectors%3Fq%3Duk%26x%3D1"
    );
    assert_eq!(login_href("/a b/é"), "/login?next=/a%20b/%C3%A9");
}

#[test]
fn login_href_has_no_next_where_it_would_not_help() {
    assert_eq!(login_href("/"), "/login");
    assert_eq!(login_href("/login"), "/login");
    assert_eq!(login_href("//evil.example"), "/login");
}

#[test]
fn adding_and_duplicating_have_their_own_pages() {
    assert_eq!(new_instance(4), "/connectors/4/instances/new");
    assert_eq!(duplicate_instance(7), "/instances/7/duplicate");
    assert_eq!(page_of(&duplicate_instance(7)), "/instances/7/duplicate");
    assert_ne!(page_of(&duplicate_instance(7)), page_of(&instance_settings(7, SettingsTab::Details)));
    assert!(!within_instance_settings(7, &duplicate_instance(7)), "leaving the settings for a copy is leaving");
}
