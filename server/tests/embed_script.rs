//! The embed script (`GET /embed/v1/conduit-embed.js`) over a real socket:
//! served from the built dashboard's `public/` with the headers a module
//! script loaded by another origin's page needs (CORS for any origin,
//! cross-origin resource policy, revalidated), its precompressed copies by
//! `Accept-Encoding`, a 404 sentence when it is not built; every other file
//! keeps its same-origin policy. Independent of the script's content.

mod common;

use std::path::Path;

use conduit_server::static_files::{EMBED_SCRIPT_FILE, NO_EMBED_SCRIPT};
use conduit_types::ErrorBody;
use reqwest::header::HeaderMap;

const SCRIPT: &str = "// a stand-in for conduit-embed.js\nexport function mount() {}\n";
const PORTAL: &str = "https://portal.example";

/// A built dashboard with the script and its compressed copies (stand-in
/// bytes: the server only chooses among them).
fn dist(dir: &Path, with_script: bool) {
    std::fs::write(dir.join("index.html"), "<!doctype html><title>conduit</title>").unwrap();
    std::fs::create_dir_all(dir.join("public")).unwrap();
    std::fs::write(dir.join("public/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    if with_script {
        let script = dir.join(EMBED_SCRIPT_FILE);
        std::fs::create_dir_all(script.parent().unwrap()).unwrap();
        std::fs::write(&script, SCRIPT).unwrap();
        std::fs::write(script.with_extension("js.br"), b"brotli bytes").unwrap();
        std::fs::write(script.with_extension("js.gz"), b"gzip bytes").unwrap();
    }
}

struct Served {
    base: String,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(t: &common::TestStore, with_script: bool) -> Served {
    let dir = tempfile::tempdir().unwrap();
    dist(dir.path(), with_script);
    let app = conduit_server::app(common::state(t.store.clone(), dir.path().to_owned()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Served { base, task, _dir: dir }
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

async fn send(base: &str, method: reqwest::Method, path: &str, extra: &[(&str, &str)]) -> Answer {
    // No automatic decompression: the test reads what was sent.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.request(method, format!("{base}{path}"));
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    Answer { status, headers, body: response.bytes().await.unwrap().to_vec() }
}

async fn get(base: &str, path: &str, extra: &[(&str, &str)]) -> Answer {
    send(base, reqwest::Method::GET, path, extra).await
}

/// How a browser asks for `<script type="module" src=…>` from a page on PORTAL.
const MODULE_FETCH: [(&str, &str); 4] =
    [("origin", PORTAL), ("sec-fetch-mode", "cors"), ("sec-fetch-dest", "script"), ("sec-fetch-site", "cross-site")];

#[tokio::test]
async fn the_script_may_be_loaded_as_a_module_by_a_page_on_another_origin() {
    let t = common::sqlite().await;
    let served = serve(&t, true).await;
    for extra in [&[][..], &MODULE_FETCH[..]] {
        let answer = get(&served.base, "/embed/v1/conduit-embed.js", extra).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, SCRIPT.as_bytes(), "the script, not the embed page");
        assert_eq!(answer.header("content-type"), Some("text/javascript; charset=utf-8"));
        // What the browser's CORS check of a module script needs (it sends no
        // credentials to another origin, so `*` is accepted).
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
        assert!(answer.header("access-control-allow-credentials").is_none());
        assert_eq!(answer.header("cross-origin-resource-policy"), Some("cross-origin"));
        assert_eq!(answer.header("cache-control"), Some("no-cache"));
        assert_eq!(answer.header("vary"), Some("accept-encoding"));
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        assert!(answer.header("content-encoding").is_none());
    }
    // The precompressed copies, as for every built file.
    for (accept, encoding, body) in [("br, gzip", "br", &b"brotli bytes"[..]), ("gzip", "gzip", &b"gzip bytes"[..])] {
        let answer = get(&served.base, "/embed/v1/conduit-embed.js", &[("accept-encoding", accept)]).await;
        assert_eq!((answer.status, answer.header("content-encoding")), (200, Some(encoding)), "{accept}");
        assert_eq!(answer.body, body);
        assert_eq!(answer.header("content-type"), Some("text/javascript; charset=utf-8"));
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    }
    // Revalidating: unchanged is 304, with the same cross-origin headers.
    let etag = get(&served.base, "/embed/v1/conduit-embed.js", &[]).await.header("etag").map(str::to_owned);
    let modified = get(&served.base, "/embed/v1/conduit-embed.js", &[]).await.header("last-modified").unwrap().to_owned();
    let again = get(&served.base, "/embed/v1/conduit-embed.js", &[("if-modified-since", &modified)]).await;
    assert_eq!(again.status, 304, "{etag:?}");
    assert_eq!(again.header("cross-origin-resource-policy"), Some("cross-origin"));
    drop(served);
    t.cleanup().await;
}

#[tokio::test]
async fn everything_else_keeps_its_same_origin_policy() {
    let t = common::sqlite().await;
    let served = serve(&t, true).await;
    for path in ["/", "/index.html", "/public/favicon.svg", "/embed/3/instances/7/settings/details", "/api/me", "/embed/v1/other.js"] {
        let answer = get(&served.base, path, &MODULE_FETCH).await;
        assert_eq!(answer.header("cross-origin-resource-policy"), Some("same-origin"), "{path}");
        assert!(answer.header("access-control-allow-origin").is_none(), "{path}");
        assert_ne!(answer.body, SCRIPT.as_bytes(), "{path}");
    }
    // The embed page is still the dashboard's page, with its frame policy.
    let page = get(&served.base, "/embed/3/instances/7/settings/details", &[]).await;
    assert!(String::from_utf8_lossy(&page.body).contains("<title>conduit</title>"));
    assert!(page.header("content-security-policy").unwrap().ends_with("frame-ancestors 'none'"));
    // No preflight is granted: a module script needs none.
    let options = send(&served.base, reqwest::Method::OPTIONS, "/embed/v1/conduit-embed.js", &MODULE_FETCH).await;
    assert!(!(200..300).contains(&options.status), "{}", options.status);
    for header in ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"] {
        assert!(options.header(header).is_none(), "{header}");
    }
    assert_eq!(options.header("cross-origin-resource-policy"), Some("same-origin"));
    drop(served);
    t.cleanup().await;
}

#[tokio::test]
async fn a_dashboard_built_without_the_script_answers_404_in_a_sentence() {
    let t = common::sqlite().await;
    let served = serve(&t, false).await;
    let answer = get(&served.base, "/embed/v1/conduit-embed.js", &MODULE_FETCH).await;
    assert_eq!(answer.status, 404);
    let error: ErrorBody = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(error.message, NO_EMBED_SCRIPT);
    // The host page's script loader may read why.
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    drop(served);
    t.cleanup().await;
}
