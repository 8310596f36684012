//! The dashboard's own addresses: building them, and checking the `?next=`
//! path of the sign-in page (where a user returns to once signed in). Only
//! paths on this site are followed, so a crafted link cannot send a user who
//! signs in to another site.

use conduit_types::Id;

use crate::tabs::SettingsTab;

/// The `manage connectors` page, where a signed-in user lands when there is
/// nowhere better to go.
pub const HOME: &str = "/connectors";

/// The sign-in page's path.
pub const LOGIN: &str = "/login";

/// One tab of an instance's `instance settings` page.
pub fn instance_settings(id: Id, tab: SettingsTab) -> String {
    format!("/instances/{id}/settings/{}", tab.slug())
}

/// Whether `path` is one of instance `id`'s settings pages (any tab).
/// Moving between them keeps the page and its draft.
pub fn within_instance_settings(id: Id, path: &str) -> bool {
    let base = format!("/instances/{id}/settings");
    path.strip_prefix(&base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Which page `path` shows, for moving focus when a page opens: the tabs of
/// one instance's settings are one page (a tab switch keeps focus on the tab).
pub fn page_of(path: &str) -> &str {
    let Some(rest) = path.strip_prefix(INSTANCES) else { return path };
    let Some((id, tail)) = rest.split_once('/') else { return path };
    if tail == "settings" || tail.starts_with("settings/") {
        &path[..INSTANCES.len() + id.len() + "/settings".len()]
    } else {
        path
    }
}

const INSTANCES: &str = "/instances/";

/// A path with its query and fragment, as the router reports them: the
/// query without its `?`, the fragment with its `#`.
pub fn full_path(path: &str, query: &str, fragment: &str) -> String {
    let mut full = path.to_string();
    if !query.is_empty() {
        full.push('?');
        full.push_str(query);
    }
    full.push_str(fragment);
    full
}

/// Where to go after signing in: `next` when it is a path on this site,
/// otherwise [`HOME`].
pub fn after_sign_in(next: Option<&str>) -> String {
    match next {
        Some(path) if is_same_site_path(path) && !is_login(path) => path.to_string(),
        _ => HOME.to_string(),
    }
}

/// The sign-in page's address for a user who was at `current` (a path with
/// its query) and has to sign in first.
pub fn login_href(current: &str) -> String {
    if !is_same_site_path(current) || is_login(current) || current == "/" {
        return LOGIN.to_string();
    }
    format!("{LOGIN}?next={}", encode_query_value(current))
}

/// A path on this site: it starts with one `/`. `//host` and `/\host` are
/// addresses of other sites to a browser, and browsers drop tabs and line
/// breaks from URLs (`/\t/host` is `//host`), so those are refused too.
pub fn is_same_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

fn is_login(path: &str) -> bool {
    path == LOGIN || path.starts_with("/login?") || path.starts_with("/login/")
}

/// Percent-encodes a query value, keeping `/` and the unreserved characters
/// readable.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
}
