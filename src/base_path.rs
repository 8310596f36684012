//! Where the dashboard is served: its base path (`""` at the root,
//! `/conduit` under `--base-path /conduit`), read once from the `<base
//! href>` the server writes into the page. The router is given it (app.rs)
//! and resolves navigation under it; [`url`] puts it before the API's
//! addresses (api.rs) and the dashboard's links; [`app_path`] takes it off
//! the browser's paths where the dashboard compares them with its own
//! (paths.rs).

use std::sync::OnceLock;

/// The base path, read from the page the first time it is asked for.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(read)
}

#[cfg(target_arch = "wasm32")]
fn read() -> String {
    let base = leptos::prelude::document().query_selector("base").ok().flatten();
    from_base_href(base.and_then(|base| base.get_attribute("href")).as_deref())
}

/// Outside a browser (native unit tests) the dashboard is at the root.
#[cfg(not(target_arch = "wasm32"))]
fn read() -> String {
    String::new()
}

/// `path` (`/api/me`, `/connectors`) under the base path.
pub fn url(path: &str) -> String {
    under(base(), path)
}

/// A path from the browser (`location.pathname`) without the base path.
pub fn app_path(path: &str) -> &str {
    within(base(), path)
}

/// The base path a `<base href>` names: its path without the trailing `/`;
/// `""` for none, for `/`, or for anything but a path on this site.
pub fn from_base_href(href: Option<&str>) -> String {
    let Some(href) = href.map(str::trim) else { return String::new() };
    let path = match href.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => href,
    };
    if !path.starts_with('/') || path.starts_with("//") {
        return String::new();
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/').to_owned()
}

/// `path` under `base`.
pub fn under(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// `path` without `base` (`/` for the base itself); a path outside the
/// base stays as it is.
pub fn within<'a>(base: &str, path: &'a str) -> &'a str {
    match path.strip_prefix(base) {
        Some(_) if base.is_empty() => path,
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

#[cfg(test)]
mod tests;
