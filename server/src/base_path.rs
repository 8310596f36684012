//! Serving the whole app under a base path (`--base-path /conduit`, e.g.
//! behind a portal's reverse proxy): the flag's rule, the addresses built
//! from it and the nesting of every route under it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect};
use axum::Router;

/// The longest base path accepted.
const MAX_LEN: usize = 100;

/// Checks a `--base-path` value and normalises it: `""` for the root (an
/// empty value or `/`), else `/segment[/segment…]` with no trailing `/`.
/// Segments are letters, digits, `-`, `_`, `.` and `~` (never `.` or `..`
/// alone), so the path needs no escaping in a URL, a cookie or HTML.
pub fn parse(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text == "/" {
        return Ok(String::new());
    }
    if !text.starts_with('/') {
        return Err("the base path must start with /, e.g. /conduit".to_owned());
    }
    let path = text.trim_end_matches('/');
    if path.len() > MAX_LEN {
        return Err(format!("the base path can be at most {MAX_LEN} characters long"));
    }
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    for segment in path[1..].split('/') {
        if segment.is_empty() || segment == "." || segment == ".." || !segment.chars().all(safe) {
            return Err("the base path is made of /-separated names of letters, digits, -, _, . and ~, e.g. /conduit or /tools/conduit".to_owned());
        }
    }
    Ok(path.to_owned())
}

/// The session cookie's `Path`: the base path, or `/` at the root.
pub fn cookie_path(base: &str) -> &str {
    if base.is_empty() {
        "/"
    } else {
        base
    }
}

/// `app` under `base`: `{base}/…` reaches `app`'s `/…`, `{base}` itself is
/// sent on to `{base}/`, and everything else is not found. At the root
/// `app` is returned as it is.
pub fn nest(base: &str, app: Router) -> Router {
    if base.is_empty() {
        return app;
    }
    let bare = base.to_owned();
    let slash = move |request: Request, next: Next| {
        let bare = bare.clone();
        async move {
            if request.uri().path() == bare {
                return Redirect::permanent(&format!("{bare}/")).into_response();
            }
            next.run(request).await
        }
    };
    Router::new().nest_service(base, app).layer(axum::middleware::from_fn(slash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalised() {
        for (given, kept) in [
            ("", ""),
            ("/", ""),
            ("  ", ""),
            ("/conduit", "/conduit"),
            ("/conduit/", "/conduit"),
            (" /conduit// ", "/conduit"),
            ("/tools/conduit-2.0_~x", "/tools/conduit-2.0_~x"),
        ] {
            assert_eq!(parse(given).as_deref(), Ok(kept), "{given:?}");
        }
    }

    #[test]
    fn unsafe_base_paths_are_refused_without_repeating_them() {
        for bad in ["app", "https://portal.example/x", "//portal", "/a//b", "/a/../b", "/./a", "/con duit", "/con\"duit", "/a?b", "/a#b", "/%2e", "/ü", "/<script>"] {
            let message = parse(bad).expect_err(bad);
            assert!(!message.contains(bad.trim_start_matches('/')), "{message}");
            assert!(message.starts_with("the base path"), "{message}");
        }
        assert!(parse(&format!("/{}", "a".repeat(MAX_LEN))).is_err());
        assert!(parse(&format!("/{}", "a".repeat(MAX_LEN - 1))).is_ok());
    }

    use axum::routing::get;

    async fn answer(app: &Router, path: &str) -> (u16, String, String) {
        use tower::ServiceExt;
        let request = axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        (status, location, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn everything_is_nested_under_the_base_and_nothing_is_outside_it() {
        let app = Router::new()
            .route("/api/me", get(|| async { "me" }))
            .fallback(|uri: axum::http::Uri| async move { format!("page for {uri}") });
        let app = nest("/conduit", app);
        assert_eq!(answer(&app, "/conduit/api/me").await, (200, String::new(), "me".into()));
        assert_eq!(answer(&app, "/conduit/").await.2, "page for /");
        assert_eq!(answer(&app, "/conduit/instances/7/settings/details").await.2, "page for /instances/7/settings/details");
        assert_eq!(answer(&app, "/conduit").await.1, "/conduit/");
        for outside in ["/", "/api/me", "/instances/7/settings/details", "/conduitx/api/me", "/index.html"] {
            assert_eq!(answer(&app, outside).await.0, 404, "{outside}");
        }
    }

    #[test]
    fn the_cookie_path_is_the_base_or_the_root() {
        assert_eq!(cookie_path(""), "/");
        assert_eq!(cookie_path("/conduit"), "/conduit");
    }
}
