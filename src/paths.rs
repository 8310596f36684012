//! The dashboard's own addresses: building them, and checking the `?next=`
//! path of the sign-in page (where a user returns to once signed in). Only
//! paths on this site are followed, so a crafted link cannot send a user who
//! signs in to another site.

use conduit_types::Id;

use crate::tabs::SettingsTab;

/// The `manage connectors` page, where a signed-in user lands when there is
/// nowhere better to go.
pub const HOME: &str = "/connectors";

/// The `developer settings` page: API keys and the origins allowed to embed.
pub const DEVELOPER: &str = "/developer";

/// A process flow's page: its runs and `run now`.
pub fn process_flow(id: Id) -> String {
    format!("/process-flows/{id}")
}

/// The sign-in page's path.
pub const LOGIN: &str = "/login";

/// One tab of an instance's `instance settings` page.
pub fn instance_settings(id: Id, tab: SettingsTab) -> String {
    instance_settings_in("", id, tab)
}

/// [`instance_settings`] in an area of the site: `""` for the dashboard,
/// `/embed/{company}` for an embedded page.
pub fn instance_settings_in(area: &str, id: Id, tab: SettingsTab) -> String {
    format!("{area}/instances/{id}/settings/{}", tab.slug())
}

/// `add new instance` of connector `connector`: the settings' tabs over a
/// blank draft.
pub fn new_instance(connector: Id) -> String {
    format!("/connectors/{connector}/instances/new")
}

/// `duplicate` of instance `id`: a new draft copying it, opened on its
/// `authentication` tab (the secrets are not copied).
pub fn duplicate_instance(id: Id) -> String {
    format!("{INSTANCES}{id}/duplicate")
}

/// The area of an embedded page's addresses: `/embed/{company}`.
pub fn embed_area(company: Id) -> String {
    format!("/embed/{company}")
}

/// Whether `path` (the browser's, under the base path) is one of instance
/// `id`'s settings pages (any tab), in the dashboard or an embedded page.
/// Moving between them keeps the page and its draft.
pub fn within_instance_settings(id: Id, path: &str) -> bool {
    let path = crate::base_path::app_path(path);
    let path = embedded_path(path).unwrap_or(path);
    let base = format!("/instances/{id}/settings");
    path.strip_prefix(&base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The rest of an embedded page's path after its `/embed/{company}` area.
fn embedded_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/embed/")?;
    let (company, rest) = rest.split_at(rest.find('/')?);
    (!company.is_empty() && company.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
}

/// Which page `path` (the browser's, under the base path) shows, for moving
/// focus when a page opens: the tabs of one instance's settings are one page
/// (a tab switch keeps focus on the tab).
pub fn page_of(path: &str) -> &str {
    let path = crate::base_path::app_path(path);
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

/// The sign-in page's address for a user who was at `current` (the
/// browser's path with its query) and has to sign in first: a path of the
/// dashboard's own, as the router navigates (a link puts the base path
/// before it).
pub fn login_href(current: &str) -> String {
    let current = crate::base_path::app_path(current);
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
mod tests;
