//! The built dashboard's files: precompressed (brotli and gzip files made at
//! build time by `scripts/compress-dist.sh`, chosen by `Accept-Encoding`),
//! with an `index.html` fallback so deep links work, and cache headers:
//! files whose names carry Trunk's content hash never change, so browsers
//! keep them for a year; `index.html` (which names them) is revalidated.
//! And the embed script host pages on other origins load
//! ([`embed_script`]).

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::index_page::IndexPage;

use crate::error::AppError;
use crate::AppState;

/// Where host pages load the embed script from (an ES module).
pub const EMBED_SCRIPT_PATH: &str = "/embed/v1/conduit-embed.js";
/// Where the built dashboard keeps it (Trunk copies `public/`).
pub const EMBED_SCRIPT_FILE: &str = "public/embed/v1/conduit-embed.js";
pub const NO_EMBED_SCRIPT: &str = "The embed script is not here: the dashboard was built without it.";

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// Serves `dir`, falling back to its `index.html` as `index` serves it
/// (which `/` and `/index.html` are too).
pub fn service(dir: &Path, index: Arc<IndexPage>) -> Router {
    let page = move |request: Request| {
        let index = index.clone();
        async move { index.serve(request).await }
    };
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page.clone().into_service());
    Router::new()
        .route("/", axum::routing::get(page.clone()))
        .route("/index.html", axum::routing::get(page))
        .fallback_service(files)
        .layer(axum::middleware::from_fn(headers))
}

/// Whether the last segment of `path` is a name Trunk gave a content hash:
/// `main-<hash>.css`, `conduit-web-<hash>.js`, `conduit-web-<hash>_bg.wasm`,
/// the hash being 8 to 16 lowercase hexadecimal digits.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((base, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    !base.is_empty()
        && (8..=16).contains(&hash.len())
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Cache headers, `Vary` (the answer depends on `Accept-Encoding`) and the
/// opener policy of the dashboard's documents.
async fn headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A hashed name that is not there gets the fallback page, which must not
    // be kept under that name.
    let keep = hashed && !is_html && (status.is_success() || status == StatusCode::NOT_MODIFIED);
    let cache = if keep { IMMUTABLE } else { REVALIDATE };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // The provider's page opens in a popup that must stay this page's (so it
    // can be watched and closed); other documents open in their own group.
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin-allow-popups"),
    );
    response
}

/// `GET /embed/v1/conduit-embed.js`: the script, as a module another
/// origin's page may load (`<script type="module">` is a CORS request):
/// any origin may read it (`Access-Control-Allow-Origin: *`, and no
/// credentials), it may be used across origins, and it is revalidated on
/// every load, so a host always runs the current one. Its `.br`/`.gz`
/// copies are chosen by `Accept-Encoding` like the other files.
pub async fn embed_script(State(state): State<AppState>, request: Request) -> Response {
    let path = state.config.static_dir.join(EMBED_SCRIPT_FILE);
    let mut response = if path.is_file() {
        let file = ServeFile::new(path).precompressed_br().precompressed_gzip();
        match file.oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        }
    } else {
        AppError::NotFound(NO_EMBED_SCRIPT.to_owned()).into_response()
    };
    let ok = response.status().is_success();
    let headers = response.headers_mut();
    if ok {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("cross-origin"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_trunks_hashed_names() {
        for hashed in [
            "/conduit-web-1f2e3d4c5b6a7980_bg.wasm",
            "/conduit-web-1f2e3d4c5b6a7980.js",
            "/main-9a8b7c6d5e4f3a2b.css",
            "/main-9a8b7c6d5e4f3.css",
            "/conduit-web-1f2e3d4c5b6a7980_bg.wasm.br",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/public/favicon.svg",
            "/instances/3/settings/authentication",
            "/main.css",
            "/main-.css",
            "/-1f2e3d4c5b6a7980.css",
            "/main-1F2E3D4C5B6A7980.css",
            "/main-1f2e3d4c5b6a798011.css",
            "/main-1f2e3d.css",
            "/main-xyzxyzxyzxyz.css",
            "/conduit-web-1f2e3d4c5b6a7980",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
